using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.User.Feed;

/// <summary>PATCH /user/v1/channels/{channel_id}/feed/entries/{entry_id} (§7.3, §13.6).</summary>
public abstract class FeedUpdateTests<TFixture>(TFixture fixture) : FeedTests<TFixture>(fixture) where TFixture : HostFixture
{
    private async Task<JsonObject> PatchAsync(TestFeed f, string id, string body) =>
        (await AsJane(f, Patch, $"{f.Entries}/{id}", body)).AssertStatus(200).Body;

    [Fact]
    public async Task Patch_SetsEachTimestampOnce_ReadDoesNotImplySeen_ArchiveAndUnarchive()
    {
        var f = await FeedAsync();
        await EntriesAsync(f, 2);
        var id = (await IdsAsync(f))[0];
        var created = await PatchAsync(f, id, """{"clicked": true}""");
        Assert.Equal("unseen", (string?)created["status"]);
        var clickedAt = (string?)created["clicked_at"];
        Assert.NotNull(clickedAt);
        Assert.Equal(clickedAt, (string?)created["updated_at"]);
        Assert.Equal((2, 2, 2), Totals(await ListAsync(f)));

        Host.Time.Advance(TimeSpan.FromMinutes(1));
        var read = await PatchAsync(f, id, """{"read": true}""");
        Assert.Equal("read", (string?)read["status"]);
        Assert.Null(read["seen_at"]);
        Assert.NotNull(read["read_at"]);
        Assert.Equal(clickedAt, (string?)read["clicked_at"]);
        Assert.NotEqual(clickedAt, (string?)read["updated_at"]);
        Assert.Equal((2, 1, 2), Totals(await ListAsync(f)));

        // Repeats are no-ops: timestamps kept, updated_at unchanged.
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        var again = await PatchAsync(f, id, """{"read": true, "clicked": true}""");
        Assert.Equal(read.ToJsonString(), again.ToJsonString());

        var seen = await PatchAsync(f, id, """{"seen": true}""");
        Assert.Equal("read", (string?)seen["status"]);
        Assert.Equal((string?)read["read_at"], (string?)seen["read_at"]);
        Assert.NotNull(seen["seen_at"]);
        Assert.Equal((2, 1, 1), Totals(await ListAsync(f)));

        var archived = await PatchAsync(f, id, """{"archived": true}""");
        Assert.Equal("archived", (string?)archived["status"]);
        Assert.Equal((1, 1, 1), Totals(await ListAsync(f)));
        Assert.Equal((1, 1, 1), Totals(await ListAsync(f, "?status=archived")));
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(archived.ToJsonString(), (await PatchAsync(f, id, """{"archived": true}""")).ToJsonString());

        var unarchived = await PatchAsync(f, id, """{"archived": false}""");
        Assert.Equal("read", (string?)unarchived["status"]);
        Assert.Null(unarchived["archived_at"]);
        Assert.Equal((string?)seen["seen_at"], (string?)unarchived["seen_at"]);
        Assert.Equal((2, 1, 1), Totals(await ListAsync(f)));

        // What the User API answered is what is stored.
        var delivery = await DeliveryAsync(f, id);
        foreach (var field in new[] { "seen_at", "read_at", "clicked_at", "archived_at", "updated_at" })
        {
            Assert.Equal((string?)unarchived[field], (string?)delivery[field]);
        }
        Assert.Equal(unarchived.ToJsonString(), (await AsJane(f, Get, $"{f.Entries}/{id}")).AssertStatus(200).Body.ToJsonString());
    }

    [Theory]
    [InlineData("""{"seen": false}""")]
    [InlineData("""{"read": false}""")]
    [InlineData("""{"clicked": false}""")]
    [InlineData("""{"seen": true, "read": false}""")]
    public async Task Patch_ClearingASetOnceTimestamp_Is409_AndChangesNothing(string body)
    {
        var f = await FeedAsync();
        await NotifyAsync(f);
        var id = (await IdsAsync(f))[0];
        var before = await PatchAsync(f, id, """{"clicked": true, "read": true}""");
        var error = (await AsJane(f, Patch, $"{f.Entries}/{id}", body)).AssertError(409, "conflict");
        Assert.Equal("read", (string?)error["details"]!["current_status"]);
        Assert.Equal(["seen", "read", "clicked", "archived", "unarchived"],
            error["details"]!["allowed_transitions"]!.AsArray().Select(t => (string?)t));
        Assert.Equal(before.ToJsonString(), (await AsJane(f, Get, $"{f.Entries}/{id}")).AssertStatus(200).Body.ToJsonString());
    }

    public static TheoryData<string, string, string> BadBodies => new()
    {
        { "{}", "body", "required" },
        { """{"unknown": true}""", "body", "required" },
        { """{"seen": "true"}""", "seen", "invalid" },
        { """{"read": 1}""", "read", "invalid" },
        { """{"clicked": null}""", "clicked", "invalid" },
        { """{"archived": "false"}""", "archived", "invalid" },
        { """{"seen": true, "archived": []}""", "archived", "invalid" },
        { """{"seen": false, "read": {}}""", "read", "invalid" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Patch_BadBody_Is422(string body, string field, string reason)
    {
        var f = await FeedAsync();
        await NotifyAsync(f);
        var id = (await IdsAsync(f))[0];
        (await AsJane(f, Patch, $"{f.Entries}/{id}", body)).AssertError(422, "validation_failed", field, reason);
        Assert.Null((await DeliveryAsync(f, id))["seen_at"]);
    }

    [Fact]
    public async Task Patch_NotJson_BadId_Unknown_AnotherUsersEntry()
    {
        var f = await FeedAsync();
        await NotifyAsync(f);
        var id = (await IdsAsync(f))[0];
        var bobs = await BobsEntryAsync(f);
        Assert.Equal("invalid_json", (string?)(await AsJane(f, Patch, $"{f.Entries}/{id}", "[true]")).AssertError(400, "bad_request")["details"]!["reason"]);
        var error = (await AsJane(f, Patch, $"{f.Entries}/x", """{"seen": true}""")).AssertError(400, "bad_request");
        Assert.Equal(("invalid_uuid", "entry_id"), ((string?)error["details"]!["reason"], (string?)error["details"]!["param"]));
        var unknown = Guid.NewGuid().ToString();
        error = (await AsJane(f, Patch, $"{f.Entries}/{unknown}", """{"seen": true}""")).AssertError(404, "not_found");
        Assert.Equal(("feed_entry", unknown), ((string?)error["details"]!["resource"], (string?)error["details"]!["id"]));

        error = (await AsJane(f, Patch, $"{f.Entries}/{bobs}", """{"seen": true, "read": true, "archived": true}""")).AssertError(404, "not_found");
        Assert.Equal(("feed_entry", bobs), ((string?)error["details"]!["resource"], (string?)error["details"]!["id"]));
        var delivery = await DeliveryAsync(f, bobs);
        Assert.Null(delivery["seen_at"]);
        Assert.Null(delivery["read_at"]);
        Assert.Null(delivery["archived_at"]);
    }

    public static TheoryData<string, string> Routes => new()
    {
        { "GET", "" }, { "GET", "/{entry}" }, { "PATCH", "/{entry}" }, { "PATCH", "" }, { "POST", "/mark-all" },
    };

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task EveryFeedRoute_ChecksTheChannel(string method, string suffix)
    {
        var f = await FeedAsync();
        await NotifyAsync(f);
        var id = (await IdsAsync(f))[0];
        var path = suffix.Replace("{entry}", id, StringComparison.Ordinal);
        var body = suffix.Length == 0 && method == "PATCH" ? $$$"""{"entry_ids": ["{{{id}}}"], "set": {"seen": true}}""" : """{"set": {"seen": true}, "seen": true}""";
        var m = new HttpMethod(method);

        var error = (await AsJane(f, m, $"/user/v1/channels/inbox/feed/entries{path}", body)).AssertError(400, "bad_request");
        Assert.Equal(("invalid_uuid", "channel_id"), ((string?)error["details"]!["reason"], (string?)error["details"]!["param"]));
        var unknown = Guid.NewGuid().ToString();
        error = (await AsJane(f, m, $"/user/v1/channels/{unknown}/feed/entries{path}", body)).AssertError(404, "not_found");
        Assert.Equal(("channel", unknown), ((string?)error["details"]!["resource"], (string?)error["details"]!["id"]));
        error = (await AsJane(f, m, $"/user/v1/channels/{await EmailChannelAsync(f)}/feed/entries{path}", body)).AssertError(400, "bad_request");
        Assert.Equal(("invalid_param", "channel_id"), ((string?)error["details"]!["reason"], (string?)error["details"]!["param"]));
        Assert.Null((await DeliveryAsync(f, id))["seen_at"]);
    }
}

public sealed class SqliteFeedUpdateTests(SqliteFixture fixture) : FeedUpdateTests<SqliteFixture>(fixture);

public sealed class PostgresFeedUpdateTests(PostgresFixture fixture) : FeedUpdateTests<PostgresFixture>(fixture);
