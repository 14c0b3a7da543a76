using Notiflows.Server.Tests.Infrastructure;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Tests.Realtime;

/// <summary>
/// Several nodes on one PostgreSQL (§15, issue 6): an entry created by one node reaches a client connected to another,
/// through LISTEN/NOTIFY; so does a revocation.
/// </summary>
public sealed class MultiNodeRealtimeTests(PostgresFixture fixture) : RealtimeTests<PostgresFixture>(fixture)
{
    [Fact]
    public async Task AnEntryCreatedOnOneNode_ReachesAClientOfAnother()
    {
        var feed = await FeedAsync();
        await using var other = new TestHost(DbKind.Postgres, Host.DatabaseUrl);
        var headers = new Dictionary<string, string> { ["x-notiflows-api-key"] = feed.Project.PublicKey, ["x-notiflows-user-key"] = feed.Key };
        await using var stream = await SseClient.OpenAsync(other.CreateClient(), $"/user/v1/channels/{feed.ChannelId}/feed/stream", headers, Ct);
        AssertCounts((await stream.NextAsync("counts", Ct)).Json, 0, 0, 0);

        var entryId = (await NotifyAsync(feed))[0]; // executed by this test's host, not the one the client is connected to
        Assert.Equal(entryId, (await stream.NextAsync("delivery.created", Ct)).Id);
        AssertCounts((await stream.NextAsync("counts", Ct)).Json, 1, 1, 1);

        (await Admin(feed.Project, HttpMethod.Delete, "/admin/v1/users/jane")).AssertStatus(204);
        Assert.Equal("credentials_revoked", (string?)(await stream.NextAsync("error", Ct)).Json["reason"]);
    }
}
