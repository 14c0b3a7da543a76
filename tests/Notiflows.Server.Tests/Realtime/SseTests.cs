using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Realtime;

/// <summary>The feed's Server-Sent Events (§15.2): opening, live entries and counts, heartbeats, resume, expiry and revocation.</summary>
public abstract class SseTests<TFixture>(TFixture fixture) : RealtimeTests<TFixture>(fixture) where TFixture : HostFixture
{
    [Fact]
    public async Task Stream_OpensWithRetryAndCounts_ThenCarriesNewEntriesLive()
    {
        var feed = await FeedAsync();
        await using var stream = await StreamAsync(feed);
        Assert.Equal(200, (int)stream.Response.StatusCode);
        Assert.Equal("text/event-stream", stream.Response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no-cache", stream.Response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        Assert.Equal(new SseEvent("retry", null, "3000"), await stream.NextAsync(Ct));
        var opening = (await stream.NextAsync(Ct))!;
        Assert.Equal("counts", opening.Name);
        Assert.Null(opening.Id);
        AssertCounts(opening.Json, 0, 0, 0);

        (await Admin(feed.Project, HttpMethod.Put, "/admin/v1/users/bob", "{}")).AssertStatus(201);
        await NotifyAsync(feed, "bob"); // another user's entry never reaches jane's stream
        var entryId = Assert.Single(await NotifyAsync(feed));

        var created = await stream.NextAsync("delivery.created", Ct);
        Assert.Equal(entryId, created.Id);
        var entry = created.Json["entry"]!.AsObject();
        Assert.Equal(entryId, (string?)entry["id"]);
        Assert.Equal(feed.ChannelId, (string?)entry["channel_id"]);
        Assert.Equal("unseen", (string?)entry["status"]);
        Assert.Equal("Hello Jane #1", (string?)entry["data"]!["body"]);
        var counts = (await stream.NextAsync(Ct))!;
        Assert.Equal("counts", counts.Name);
        AssertCounts(counts.Json, 1, 1, 1);
    }

    [Fact]
    public async Task StateChanges_ReachTheStreamAsUpdatedEntriesAndCounts_MarkAllAsOneResync()
    {
        var feed = await FeedAsync();
        var first = (await NotifyAsync(feed))[0];
        var second = (await NotifyAsync(feed))[0];
        await using var stream = await StreamAsync(feed);
        AssertCounts((await stream.NextAsync("counts", Ct)).Json, 2, 2, 2);
        var entries = $"/user/v1/channels/{feed.ChannelId}/feed/entries";

        (await AsUser(feed.Project, HttpMethod.Patch, $"{entries}/{first}", feed.Key, body: """{"seen": true, "read": true}""")).AssertStatus(200);
        var updated = await stream.NextAsync(Ct);
        Assert.Equal(("delivery.updated", null), (updated!.Name, updated.Id));
        Assert.Equal((first, "read"), ((string?)updated.Json["entry"]!["id"], (string?)updated.Json["entry"]!["status"]));
        var counts = (await stream.NextAsync(Ct))!;
        Assert.Equal("counts", counts.Name);
        AssertCounts(counts.Json, 1, 1, 2);

        // A batch emits one updated event per changed entry and one counts event; a repeat changes nothing and emits nothing.
        (await AsUser(feed.Project, HttpMethod.Patch, entries, feed.Key,
            body: $"{{\"entry_ids\": [\"{first}\", \"{second}\"], \"set\": {{\"archived\": true}}}}")).AssertStatus(200);
        Assert.Equal("delivery.updated", (await stream.NextAsync(Ct))!.Name);
        Assert.Equal("delivery.updated", (await stream.NextAsync(Ct))!.Name);
        AssertCounts((await stream.NextAsync("counts", Ct)).Json, 0, 0, 0);

        (await AsUser(feed.Project, HttpMethod.Patch, $"{entries}/{second}", feed.Key, body: """{"archived": false}""")).AssertStatus(200);
        Assert.Equal("delivery.updated", (await stream.NextAsync(Ct))!.Name);
        AssertCounts((await stream.NextAsync("counts", Ct)).Json, 1, 1, 1);
        (await AsUser(feed.Project, HttpMethod.Post, $"{entries}/mark-all", feed.Key, body: """{"set": {"read": true}}""")).AssertStatus(200);
        var afterMarkAll = (await stream.NextAsync(Ct))!;
        Assert.Equal("counts", afterMarkAll.Name);
        AssertCounts(afterMarkAll.Json, 0, 1, 1);
        Assert.Equal("resync", (await stream.NextAsync(Ct))!.Name);
    }

    [Fact]
    public async Task Stream_SendsAPingEveryFifteenSeconds()
    {
        var feed = await FeedAsync();
        await using var stream = await StreamAsync(feed);
        await stream.NextAsync("counts", Ct);
        Host.Time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(new SseEvent("comment", null, "ping"), await stream.NextAsync(Ct));
        Host.Time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(new SseEvent("comment", null, "ping"), await stream.NextAsync(Ct));
    }

    [Fact]
    public async Task LastEventId_ReplaysWhatWasMissed_FromTenSecondsBeforeIt()
    {
        var feed = await FeedAsync();
        var first = (await NotifyAsync(feed))[0];
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        var second = (await NotifyAsync(feed))[0];
        Host.Time.Advance(TimeSpan.FromSeconds(5));
        var third = (await NotifyAsync(feed))[0];
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        var fourth = (await NotifyAsync(feed))[0];

        // Resuming after the third: the second is within its 10 seconds and comes again (clients de-duplicate), the first does not.
        await using var stream = await StreamAsync(feed, lastEventId: third);
        await stream.NextAsync("counts", Ct);
        Assert.Equal(second, (await stream.NextAsync("delivery.created", Ct)).Id);
        Assert.Equal(fourth, (await stream.NextAsync("delivery.created", Ct)).Id);
        _ = first;
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("01937a2b-5e20-7b31-8c42-6d7e8f9a0b1c")]
    public async Task LastEventId_NotAnEntryOfThisFeed_SendsResync(string lastEventId)
    {
        var feed = await FeedAsync();
        await NotifyAsync(feed);
        await using var stream = await StreamAsync(feed, lastEventId: lastEventId);
        await stream.NextAsync("counts", Ct);
        var resync = (await stream.NextAsync(Ct))!;
        Assert.Equal("resync", resync.Name);
        Assert.Equal("{}", resync.Data);
    }

    [Fact]
    public async Task LastEventId_OfAnotherUsersEntry_SendsResync()
    {
        var feed = await FeedAsync();
        (await Admin(feed.Project, HttpMethod.Put, "/admin/v1/users/bob", "{}")).AssertStatus(201);
        var bobs = (await NotifyAsync(feed, "bob"))[0];
        await using var stream = await StreamAsync(feed, lastEventId: bobs);
        await stream.NextAsync("counts", Ct);
        Assert.Equal("resync", (await stream.NextAsync(Ct))!.Name);
    }

    [Fact]
    public async Task LastEventId_WithMoreThanAHundredToReplay_SendsResync()
    {
        var feed = await FeedAsync(inAppSteps: 10);
        var reference = (await NotifyAsync(feed))[0];
        for (var i = 0; i < 11; i++)
        {
            await NotifyAsync(feed);
        }
        await using var stream = await StreamAsync(feed, lastEventId: reference);
        await stream.NextAsync("counts", Ct);
        Assert.Equal("resync", (await stream.NextAsync(Ct))!.Name);
    }

    [Fact]
    public async Task ExpiredUserKey_EndsTheStreamWithTokenExpired()
    {
        var feed = await FeedAsync();
        var key = Jwt(feed.Pem, new Dictionary<string, object> { ["sub"] = "jane", ["exp"] = Host.Time.GetUtcNow().AddSeconds(30).ToUnixTimeSeconds() });
        await using var stream = await StreamAsync(feed, key);
        await stream.NextAsync("counts", Ct);
        Host.Time.Advance(TimeSpan.FromSeconds(91)); // exp + the 60 s leeway
        var error = await stream.NextAsync("error", Ct);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"code": "unauthenticated", "reason": "token_expired"}"""), error.Json));
        Assert.Null(await stream.NextAsync(Ct));
    }

    [Fact]
    public async Task DeletingTheUser_EndsTheStreamWithCredentialsRevoked()
    {
        var feed = await FeedAsync();
        await using var stream = await StreamAsync(feed);
        await stream.NextAsync("counts", Ct);
        (await Admin(feed.Project, HttpMethod.Delete, "/admin/v1/users/jane")).AssertStatus(204);
        Assert.Equal("credentials_revoked", (string?)(await stream.NextAsync("error", Ct)).Json["reason"]);
        Assert.Null(await stream.NextAsync(Ct));
    }

    [Fact]
    public async Task ANewSigningKey_EndsStreamsOpenedWithUserKeys()
    {
        var feed = await FeedAsync();
        await using var stream = await StreamAsync(feed);
        await stream.NextAsync("counts", Ct);
        await SigningKeyAsync(feed.Project);
        Assert.Equal("credentials_revoked", (string?)(await stream.NextAsync("error", Ct)).Json["reason"]);
    }

    [Fact]
    public async Task QueryParameterCredentials_AreAccepted_AndHandshakeFailuresAreHttpErrors()
    {
        var feed = await FeedAsync();
        var path = $"/user/v1/channels/{feed.ChannelId}/feed/stream?api_key={feed.Project.PublicKey}&user_key={feed.Key}";
        await using (var stream = await SseClient.OpenAsync(Host.CreateClient(), path, null, Ct))
        {
            Assert.Equal("counts", (await stream.NextAsync("counts", Ct)).Name);
        }
        (await SendAsync(Host.CreateClient(), HttpMethod.Get, $"/user/v1/channels/{feed.ChannelId}/feed/stream?api_key={feed.Project.PublicKey}&user_key=bad.key.x"))
            .AssertError(401, "unauthenticated");
        var channels = (await Admin(feed.Project, HttpMethod.Get, "/admin/v1/channels?type=email")).AssertStatus(200).Body["items"]!.AsArray();
        (await AsUser(feed.Project, HttpMethod.Get, $"/user/v1/channels/{(string)channels[0]!["id"]!}/feed/stream", feed.Key)).AssertError(400, "bad_request");
        (await AsUser(feed.Project, HttpMethod.Get, "/user/v1/channels/nope/feed/stream", feed.Key)).AssertError(400, "bad_request");
        (await AsUser(feed.Project, HttpMethod.Get, $"/user/v1/channels/{Guid.NewGuid()}/feed/stream", feed.Key)).AssertError(404, "not_found");
    }

    [Fact]
    public async Task AtMostTwentyRealtimeConnectionsPerUser()
    {
        var feed = await FeedAsync();
        var streams = new List<SseClient>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                var stream = await StreamAsync(feed);
                streams.Add(stream);
                await stream.NextAsync("counts", Ct);
            }
            var refused = await AsUser(feed.Project, HttpMethod.Get, $"/user/v1/channels/{feed.ChannelId}/feed/stream", feed.Key);
            Assert.Equal(20, (int)refused.AssertError(429, "rate_limited")["details"]!["limit"]!);
        }
        finally
        {
            foreach (var stream in streams)
            {
                await stream.DisposeAsync();
            }
        }
    }
}

public sealed class SqliteSseTests(SqliteFixture fixture) : SseTests<SqliteFixture>(fixture);

public sealed class PostgresSseTests(PostgresFixture fixture) : SseTests<PostgresFixture>(fixture);
