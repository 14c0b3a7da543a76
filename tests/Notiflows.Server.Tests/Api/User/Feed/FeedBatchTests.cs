using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.User.Feed;

/// <summary>PATCH /user/v1/channels/{channel_id}/feed/entries (atomic batch, §7.3) and POST …/entries/mark-all (§7.1).</summary>
public abstract class FeedBatchTests<TFixture>(TFixture fixture) : FeedTests<TFixture>(fixture) where TFixture : HostFixture
{
    private static string Batch(IEnumerable<string> ids, string set) =>
        $$"""{"entry_ids": [{{string.Join(", ", ids.Select(i => $"\"{i}\""))}}], "set": {{set}}}""";

    private Task<ApiResponse> BatchAsync(TestFeed f, IEnumerable<string> ids, string set) => AsJane(f, Patch, f.Entries, Batch(ids, set));

    private Task<ApiResponse> MarkAllAsync(TestFeed f, string body) => AsJane(f, Post, $"{f.Entries}/mark-all", body);

    [Fact]
    public async Task Batch_UpdatesAll_ReturnsThemInRequestOrder_WithoutDuplicates()
    {
        var f = await FeedAsync();
        await EntriesAsync(f, 3);
        var ids = await IdsAsync(f); // #2, #1, #0
        (await AsJane(f, Patch, $"{f.Entries}/{ids[1]}", """{"seen": true}""")).AssertStatus(200);
        var seenAt = (string?)(await DeliveryAsync(f, ids[1]))["seen_at"];
        Host.Time.Advance(TimeSpan.FromMinutes(1));

        var items = (await BatchAsync(f, [ids[2], ids[1], ids[2], ids[0]], """{"seen": true, "read": true}""")).AssertStatus(200).Json!.AsArray();
        Assert.Equal([ids[2], ids[1], ids[0]], items.Select(i => (string)i!["id"]!));
        Assert.All(items, i => Assert.Equal("read", (string?)i!["status"]));
        Assert.Equal(seenAt, (string?)items[1]!["seen_at"]); // never overwritten
        Assert.Equal((3, 0, 0), Totals(await ListAsync(f)));

        // Idempotent: a repeat changes nothing, updated_at included.
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        var again = (await BatchAsync(f, [ids[2], ids[1], ids[0]], """{"read": true}""")).AssertStatus(200).Json!.AsArray();
        Assert.Equal(items.ToJsonString(), again.ToJsonString());

        var archived = (await BatchAsync(f, [ids[0], ids[1]], """{"archived": true}""")).AssertStatus(200).Json!.AsArray();
        Assert.All(archived, i => Assert.Equal("archived", (string?)i!["status"]));
        Assert.Equal([0], await NumbersAsync(f));
        (await BatchAsync(f, [ids[0]], """{"archived": false}""")).AssertStatus(200);
        Assert.Equal([2, 0], await NumbersAsync(f));
    }

    [Fact]
    public async Task Batch_WithAnEntryNotTheUsers_Is404ForTheFirstOffender_AndChangesNothing()
    {
        var f = await FeedAsync();
        await EntriesAsync(f, 2);
        var ids = await IdsAsync(f);
        var bobs = await BobsEntryAsync(f);
        var unknown = Guid.NewGuid().ToString();

        var error = (await BatchAsync(f, [ids[0], bobs, unknown, ids[1]], """{"seen": true, "archived": true}""")).AssertError(404, "not_found");
        Assert.Equal(("feed_entry", bobs), ((string?)error["details"]!["resource"], (string?)error["details"]!["id"]));
        error = (await BatchAsync(f, [unknown, ids[1]], """{"seen": true}""")).AssertError(404, "not_found");
        Assert.Equal(unknown, (string?)error["details"]!["id"]);

        foreach (var id in ids.Append(bobs))
        {
            var delivery = await DeliveryAsync(f, id);
            Assert.Null(delivery["seen_at"]);
            Assert.Null(delivery["archived_at"]);
        }
        Assert.Equal((2, 2, 2), Totals(await ListAsync(f)));
    }

    [Fact]
    public async Task Batch_ClearingSeen_Is409WithTheFirstEntrysStatus_AndChangesNothing()
    {
        var f = await FeedAsync();
        await EntriesAsync(f, 2);
        var ids = await IdsAsync(f);
        (await AsJane(f, Patch, $"{f.Entries}/{ids[1]}", """{"seen": true}""")).AssertStatus(200);
        var error = (await BatchAsync(f, [ids[1], ids[0]], """{"seen": false, "archived": true}""")).AssertError(409, "conflict");
        Assert.Equal("seen", (string?)error["details"]!["current_status"]);
        Assert.Equal(5, error["details"]!["allowed_transitions"]!.AsArray().Count);
        error = (await BatchAsync(f, [ids[0], ids[1]], """{"read": false}""")).AssertError(409, "conflict");
        Assert.Equal("unseen", (string?)error["details"]!["current_status"]);
        Assert.Equal((2, 2, 1), Totals(await ListAsync(f)));
    }

    public static TheoryData<string, string, string> BadBatches => new()
    {
        { """{"set": {"seen": true}}""", "entry_ids", "required" },
        { """{"entry_ids": null, "set": {"seen": true}}""", "entry_ids", "required" },
        { """{"entry_ids": "abc", "set": {"seen": true}}""", "entry_ids", "invalid" },
        { """{"entry_ids": [], "set": {"seen": true}}""", "entry_ids", "too_short" },
        { Batch(Enumerable.Range(0, 101).Select(_ => Guid.NewGuid().ToString()), """{"seen": true}"""), "entry_ids", "too_many" },
        { Batch([Guid.NewGuid().ToString(), "nope"], """{"seen": true}"""), "entry_ids[1]", "format" },
        { $$$"""{"entry_ids": ["{{{Guid.NewGuid()}}}", 7], "set": {"seen": true}}""", "entry_ids[1]", "invalid" },
        { Batch([Guid.NewGuid().ToString()], "null"), "set", "required" },
        { $$"""{"entry_ids": ["{{Guid.NewGuid()}}"]}""", "set", "required" },
        { Batch([Guid.NewGuid().ToString()], "true"), "set", "invalid" },
        { Batch([Guid.NewGuid().ToString()], "{}"), "set", "required" },
        { Batch([Guid.NewGuid().ToString()], """{"seen": "yes"}"""), "set.seen", "invalid" },
        { Batch([Guid.NewGuid().ToString()], """{"archived": 0}"""), "set.archived", "invalid" },
        { """{"entry_ids": ["x"], "set": {}}""", "set", "required" },
    };

    [Theory]
    [MemberData(nameof(BadBatches))]
    public async Task Batch_BadBody_Is422(string body, string field, string reason)
    {
        var f = await FeedAsync();
        (await AsJane(f, Patch, f.Entries, body)).AssertError(422, "validation_failed", field, reason);
    }

    [Fact]
    public async Task Batch_Of100_IsAccepted_DuplicatesCountOnce()
    {
        var f = await FeedAsync();
        await NotifyAsync(f);
        var id = (await IdsAsync(f))[0];
        var items = (await BatchAsync(f, Enumerable.Repeat(id, 150), """{"seen": true}""")).AssertStatus(200).Json!.AsArray();
        Assert.Equal(id, (string?)Assert.Single(items)!["id"]);
    }

    [Fact]
    public async Task MarkAll_ChangesTheNonArchivedEntriesThatChange_AndCounts()
    {
        var f = await FeedAsync();
        await EntriesAsync(f, 4);
        var ids = await IdsAsync(f); // #3, #2, #1, #0
        await BobsEntryAsync(f);
        (await AsJane(f, Patch, $"{f.Entries}/{ids[3]}", """{"read": true}""")).AssertStatus(200);     // #0 read
        (await AsJane(f, Patch, $"{f.Entries}/{ids[2]}", """{"archived": true}""")).AssertStatus(200); // #1 archived, unread

        Assert.Equal(2, (int)(await MarkAllAsync(f, """{"set": {"read": true}}""")).AssertStatus(200).Body["updated_count"]!);
        Assert.Equal((3, 0, 3), Totals(await ListAsync(f)));
        Assert.Null((await DeliveryAsync(f, ids[2]))["read_at"]); // archived entries are left alone
        Assert.Equal(0, (int)(await MarkAllAsync(f, """{"set": {"read": true}}""")).AssertStatus(200).Body["updated_count"]!);

        Assert.Equal(3, (int)(await MarkAllAsync(f, """{"set": {"seen": true, "read": true}}""")).AssertStatus(200).Body["updated_count"]!);
        Assert.Equal((3, 0, 0), Totals(await ListAsync(f)));
        Assert.Equal(3, (int)(await MarkAllAsync(f, """{"set": {"archived": true}}""")).AssertStatus(200).Body["updated_count"]!);
        Assert.Equal((0, 0, 0), Totals(await ListAsync(f)));
        Assert.Equal(4, (long)(await ListAsync(f, "?status=archived"))["total_count"]!);
        Assert.Equal(0, (int)(await MarkAllAsync(f, """{"set": {"archived": true}}""")).AssertStatus(200).Body["updated_count"]!);

        // Bob's entry was never touched.
        var bobs = (await Admin(f.Project, Get, "/admin/v1/users/bob/deliveries")).AssertStatus(200).Body["items"]![0]!;
        Assert.Null(bobs["read_at"]);
        Assert.Null(bobs["archived_at"]);
    }

    public static TheoryData<string, string, string> BadMarkAlls => new()
    {
        { "{}", "set", "required" },
        { """{"set": null}""", "set", "required" },
        { """{"set": {}}""", "set", "required" },
        { """{"set": []}""", "set", "invalid" },
        { """{"set": {"seen": false}}""", "set.seen", "invalid" },
        { """{"set": {"read": "true"}}""", "set.read", "invalid" },
        { """{"set": {"archived": false}}""", "set.archived", "invalid" },
        { """{"set": {"clicked": true}}""", "set.clicked", "not_allowed" },
        { """{"set": {"seen": true, "unread": true}}""", "set.unread", "not_allowed" },
    };

    [Theory]
    [MemberData(nameof(BadMarkAlls))]
    public async Task MarkAll_BadBody_Is422_AndChangesNothing(string body, string field, string reason)
    {
        var f = await FeedAsync();
        await NotifyAsync(f);
        (await MarkAllAsync(f, body)).AssertError(422, "validation_failed", field, reason);
        Assert.Equal((1, 1, 1), Totals(await ListAsync(f)));
    }
}

public sealed class SqliteFeedBatchTests(SqliteFixture fixture) : FeedBatchTests<SqliteFixture>(fixture);

public sealed class PostgresFeedBatchTests(PostgresFixture fixture) : FeedBatchTests<PostgresFixture>(fixture);
