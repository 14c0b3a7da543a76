using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Runs;

/// <summary>Concurrent runs naming the same users: every run is accepted and each user exists once with every change merged.</summary>
public abstract class ConcurrentRunTests<TFixture>(TFixture fixture) : RunTestBase<TFixture>(fixture) where TFixture : HostFixture
{
    // On PostgreSQL two transactions inserting the same new user raced into a unique violation (a 500).
    [Fact]
    public async Task Bug_3_ConcurrentRunsUpsertingOneNewUser_AreAllAccepted()
    {
        var p = await ProjectWithFlowAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            AdminRun(p, "{\"recipients\": [{\"external_id\": \"shared\", \"custom_fields\": {\"k" + i + "\": " + i + "}}, \"solo-" + i + "\"]}")));
        Assert.All(responses, r => r.AssertStatus(202));
        var user = (await GetUser(p, "shared")).AssertStatus(200).Body;
        Assert.Equal(16, user["custom_fields"]!.AsObject().Count);
        await Host.DrainAsync();
        Assert.Equal(32, (await AllNotifications(p)).Count);
    }
}

public sealed class SqliteConcurrentRunTests(SqliteFixture fixture) : ConcurrentRunTests<SqliteFixture>(fixture);

public sealed class PostgresConcurrentRunTests(PostgresFixture fixture) : ConcurrentRunTests<PostgresFixture>(fixture);
