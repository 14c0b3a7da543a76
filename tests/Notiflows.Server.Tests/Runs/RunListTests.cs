using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Runs;

/// <summary><c>GET /admin/v1/runs</c> (§6.6): newest first, cursor paging, filters.</summary>
public abstract class RunListTests<TFixture>(TFixture fixture) : RunTestBase<TFixture>(fixture) where TFixture : HostFixture
{
    [Fact]
    public async Task ListRuns_NewestFirst_WithFiltersAndCursors()
    {
        var p = await ProjectWithFlowAsync();
        await PublishAsync(p, "other", FlowSteps);
        var first = await RunAsync(p, Flow, """{"recipients": ["a"], "cancellation_key": "k1"}""");
        var second = await RunAsync(p, "other", """{"recipients": ["b"], "cancellation_key": "k2"}""");
        var third = await RunAsync(p, Flow, """{"topic": "news"}""");
        await Host.DrainAsync();

        var all = (await Admin(p, HttpMethod.Get, "/admin/v1/runs")).AssertStatus(200).Body;
        Assert.Equal([third, second, first], all["items"]!.AsArray().Select(r => (string)r!["id"]!));
        Assert.Equal("completed", (string?)all["items"]![2]!["status"]);
        Assert.Equal(1, (int)all["items"]![2]!["notification_counts"]!["processed"]!);

        Assert.Equal([third, first], Ids(await Admin(p, HttpMethod.Get, $"/admin/v1/runs?notiflow={Flow}")));
        Assert.Equal([second], Ids(await Admin(p, HttpMethod.Get, "/admin/v1/runs?cancellation_key=k2")));
        Assert.Equal([third], Ids(await Admin(p, HttpMethod.Get, "/admin/v1/runs?topic=news")));
        Assert.Equal([third, second, first], Ids(await Admin(p, HttpMethod.Get, "/admin/v1/runs?status=completed")));
        Assert.Empty(Ids(await Admin(p, HttpMethod.Get, "/admin/v1/runs?notiflow=no-such-flow")));

        var page1 = (await Admin(p, HttpMethod.Get, "/admin/v1/runs?limit=2")).AssertStatus(200).Body;
        Assert.Equal([third, second], page1["items"]!.AsArray().Select(r => (string)r!["id"]!));
        Assert.True((bool)page1["page"]!["has_more_after"]!);
        var after = (string)page1["page"]!["after"]!;
        var page2 = (await Admin(p, HttpMethod.Get, $"/admin/v1/runs?limit=2&after={after}")).AssertStatus(200).Body;
        Assert.Equal([first], page2["items"]!.AsArray().Select(r => (string)r!["id"]!));
        Assert.False((bool)page2["page"]!["has_more_after"]!);

        var wrongScope = await Admin(p, HttpMethod.Get, $"/admin/v1/runs?limit=2&after={after}&status=completed");
        Assert.Equal("after", (string?)wrongScope.AssertError(400, "bad_request")["details"]!["param"]);
        Assert.Equal("status", (string?)(await Admin(p, HttpMethod.Get, "/admin/v1/runs?status=done")).AssertError(400, "bad_request")["details"]!["param"]);
        Assert.Equal("created_after",
            (string?)(await Admin(p, HttpMethod.Get, "/admin/v1/runs?created_after=yesterday")).AssertError(400, "bad_request")["details"]!["param"]);
    }

    private static List<string> Ids(ApiResponse response) =>
        response.AssertStatus(200).Body["items"]!.AsArray().Select(r => (string)r!["id"]!).ToList();
}

public sealed class SqliteRunListTests(SqliteFixture fixture) : RunListTests<SqliteFixture>(fixture);

public sealed class PostgresRunListTests(PostgresFixture fixture) : RunListTests<PostgresFixture>(fixture);
