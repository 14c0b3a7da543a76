using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Management.Notiflows;

/// <summary>Versions (§8.5): newest first, cursor paging (§4.8), status filter, get by number or id.</summary>
public abstract class NotiflowVersionTests<TFixture>(TFixture fixture) : NotiflowApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    /// <summary>Creates <c>flow</c> with <paramref name="count"/> versions (1 … count); version 1 is published, the last is the draft.</summary>
    private async Task<TestProject> WithVersionsAsync(int count)
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "flow");
        await PublishAsync(p, "flow");
        for (var i = 2; i <= count; i++)
        {
            await UpdateStepsAsync(p, "flow", Flows.Steps(Flows.Wait(i)));
        }
        return p;
    }

    private async Task<JsonObject> ListAsync(TestProject p, string query = "", string handle = "flow") =>
        (await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/{handle}/versions{query}")).AssertStatus(200).Body;

    private static int[] Numbers(JsonObject list) => list["items"]!.AsArray().Select(v => (int)v!["version_number"]!).ToArray();

    private static void AssertPage(JsonObject list, bool moreAfter, bool moreBefore, int limit)
    {
        var page = list["page"]!;
        Assert.Equal(moreAfter, (bool)page["has_more_after"]!);
        Assert.Equal(moreBefore, (bool)page["has_more_before"]!);
        Assert.Equal(limit, (int)page["limit"]!);
    }

    [Fact]
    public async Task ListVersions_ReturnsNewestFirstWithDefaultLimit()
    {
        var p = await WithVersionsAsync(3);

        var list = await ListAsync(p);

        Assert.Equal([3, 2, 1], Numbers(list));
        Assert.Equal(["draft", "archived", "published"], list["items"]!.AsArray().Select(v => (string)v!["status"]!));
        Assert.Equal(["after", "before", "has_more_after", "has_more_before", "limit"], list["page"]!.AsObject().Select(kv => kv.Key));
        AssertPage(list, false, false, 25);
        Assert.NotNull(list["items"]![0]!["steps"]);
    }

    [Fact]
    public async Task ListVersions_FollowingAfterAndBeforeCursors_WalksThePages()
    {
        var p = await WithVersionsAsync(5);

        var first = await ListAsync(p, "?limit=2");
        Assert.Equal([5, 4], Numbers(first));
        AssertPage(first, true, false, 2);

        var second = await ListAsync(p, $"?limit=2&after={first["page"]!["after"]}");
        Assert.Equal([3, 2], Numbers(second));
        AssertPage(second, true, true, 2);

        var third = await ListAsync(p, $"?limit=2&after={second["page"]!["after"]}");
        Assert.Equal([1], Numbers(third));
        AssertPage(third, false, true, 2);

        var back = await ListAsync(p, $"?limit=2&before={third["page"]!["before"]}");
        Assert.Equal([3, 2], Numbers(back));
        AssertPage(back, true, true, 2);

        var top = await ListAsync(p, $"?limit=2&before={back["page"]!["before"]}");
        Assert.Equal([5, 4], Numbers(top));
        AssertPage(top, true, false, 2);

        var empty = await ListAsync(p, $"?limit=2&before={top["page"]!["before"]}");
        Assert.Empty(Numbers(empty));
        Assert.Null(empty["page"]!["after"]);
        Assert.Null(empty["page"]!["before"]);
    }

    [Fact]
    public async Task ListVersions_WithStatusFilter_ReturnsMatchingOnly()
    {
        var p = await WithVersionsAsync(4);

        var archived = Numbers(await ListAsync(p, "?status=archived"));
        var drafts = Numbers(await ListAsync(p, "?status=draft"));
        var published = Numbers(await ListAsync(p, "?status=published"));

        Assert.Equal([3, 2], archived);
        Assert.Equal([4], drafts);
        Assert.Equal([1], published);

        var page = await ListAsync(p, "?status=archived&limit=1");
        Assert.Equal([3], Numbers(page));
        AssertPage(page, true, false, 1);
        var next = await ListAsync(p, $"?status=archived&limit=1&after={page["page"]!["after"]}");
        Assert.Equal([2], Numbers(next));
        AssertPage(next, false, true, 1);
    }

    [Fact]
    public async Task ListVersions_WithLimitAbove100_ClampsTo100()
    {
        var p = await WithVersionsAsync(1);

        AssertPage(await ListAsync(p, "?limit=500"), false, false, 100);
    }

    [Fact]
    public async Task ListVersions_WithCursorFromOtherFilterOrNotiflow_Returns400()
    {
        var p = await WithVersionsAsync(3);
        await CreateFlowAsync(p, "other");
        var archivedCursor = (string)(await ListAsync(p, "?status=archived&limit=1"))["page"]!["after"]!;
        var plainCursor = (string)(await ListAsync(p, "?limit=1"))["page"]!["after"]!;

        AssertInvalidParam(await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/flow/versions?after={archivedCursor}"), "after");
        AssertInvalidParam(await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/flow/versions?status=draft&before={archivedCursor}"), "before");
        AssertInvalidParam(await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/other/versions?after={plainCursor}"), "after");
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=abc", "limit")]
    [InlineData("after=not-a-cursor", "after")]
    [InlineData("before=%%%", "before")]
    public async Task ListVersions_WithMalformedParam_Returns400InvalidParam(string query, string param)
    {
        var p = await WithVersionsAsync(1);

        AssertInvalidParam(await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/flow/versions?{query}"), param);
    }

    [Fact]
    public async Task ListVersions_WithAfterAndBefore_Returns400()
    {
        var p = await WithVersionsAsync(3);
        var cursor = (string)(await ListAsync(p, "?limit=1"))["page"]!["after"]!;

        var error = (await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/flow/versions?after={cursor}&before={cursor}")).AssertError(400, "bad_request");

        Assert.Equal("invalid_param", (string?)error["details"]!["reason"]);
    }

    [Fact]
    public async Task ListVersions_UnknownNotiflow_Returns404()
    {
        var p = await NewProjectAsync();

        var error = (await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/ghost/versions")).AssertError(404, "not_found");

        Assert.Equal("notiflow", (string?)error["details"]!["resource"]);
    }

    [Fact]
    public async Task GetVersion_ByNumberAndById_ReturnsTheVersion()
    {
        var p = await WithVersionsAsync(2);
        var flow = await GetFlowAsync(p, "flow");
        var draftId = (string)flow["current_version_id"]!;

        var byNumber = await GetVersionAsync(p, "flow", 2);
        var byId = (await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/flow/versions/{draftId}")).AssertStatus(200).Body;
        var viaNotiflowId = (await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/{flow["id"]}/versions/1")).AssertStatus(200).Body;

        Assert.True(JsonNode.DeepEquals(flow["current_version"], byNumber), byNumber.ToJsonString());
        Assert.True(JsonNode.DeepEquals(byNumber, byId));
        Assert.True(JsonNode.DeepEquals(flow["published_version"], viaNotiflowId));
    }

    [Theory]
    [InlineData("9")]
    [InlineData("0")]
    [InlineData("uuid")]
    public async Task GetVersion_Unknown_Returns404Version(string version)
    {
        var p = await WithVersionsAsync(1);
        var value = version == "uuid" ? Guid.CreateVersion7().ToString() : version;

        var error = (await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/flow/versions/{value}")).AssertError(404, "not_found");

        Assert.Equal("version", (string?)error["details"]!["resource"]);
        Assert.Equal(value, (string?)error["details"]!["id"]);
    }

    [Fact]
    public async Task GetVersion_IdOfAnotherNotiflowsVersion_Returns404Version()
    {
        var p = await WithVersionsAsync(1);
        var other = await CreateFlowAsync(p, "other");

        var error = (await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/flow/versions/{other["current_version_id"]}")).AssertError(404, "not_found");

        Assert.Equal("version", (string?)error["details"]!["resource"]);
    }

    private static void AssertInvalidParam(ApiResponse response, string param)
    {
        var error = response.AssertError(400, "bad_request");
        Assert.Equal("invalid_param", (string?)error["details"]!["reason"]);
        Assert.Equal(param, (string?)error["details"]!["param"]);
    }
}

public sealed class SqliteNotiflowVersionTests(SqliteFixture fixture) : NotiflowVersionTests<SqliteFixture>(fixture);

public sealed class PostgresNotiflowVersionTests(PostgresFixture fixture) : NotiflowVersionTests<PostgresFixture>(fixture);
