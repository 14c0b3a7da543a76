using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.User.Feed;

/// <summary>GET /user/v1/channels/{channel_id}/feed/entries (§7.2) and GET …/entries/{entry_id}.</summary>
public abstract class FeedListTests<TFixture>(TFixture fixture) : FeedTests<TFixture>(fixture) where TFixture : HostFixture
{
    [Fact]
    public async Task List_ShowsOnlyTheUsersEntries_InTheFeedShape_WithCounts()
    {
        var f = await FeedAsync();
        await NotifyAsync(f, 1, extra: """, "actor": {"external_id": "sam", "first_name": "Sam", "email": "sam@example.com"}""");
        await NotifyAsync(f, 2);
        await BobsEntryAsync(f);

        var list = await ListAsync(f);
        Assert.Equal(["items", "page", "total_count", "total_unread", "total_unseen"], list.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal((2, 2, 2), Totals(list));
        var page = list["page"]!.AsObject();
        Assert.Equal(20, (int)page["limit"]!);
        Assert.False((bool)page["has_more_after"]!);
        Assert.False((bool)page["has_more_before"]!);
        var items = Items(list);
        Assert.Equal([2, 1], items.Select(Number));
        var withActor = items[1];
        string[] fields = ["actor", "archived_at", "channel_id", "clicked_at", "created_at", "data", "id", "notification_id", "notiflow_id",
            "read_at", "seen_at", "status", "topic", "updated_at"];
        Assert.Equal(fields, withActor.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(f.ChannelId, (string?)withActor["channel_id"]);
        Assert.Equal("unseen", (string?)withActor["status"]);
        Assert.Null(withActor["topic"]);
        Assert.Null(withActor["seen_at"]);
        Assert.Equal("Hi Jane #1", (string?)withActor["data"]!["body"]);
        Assert.Equal("sam", (string?)withActor["actor"]!["external_id"]);
        Assert.Equal("Sam", (string?)withActor["actor"]!["first_name"]);
        Assert.Equal("sam@example.com", (string?)withActor["actor"]!["email"]);
        Assert.Null(items[0]["actor"]);

        var delivery = await DeliveryAsync(f, (string)withActor["id"]!);
        Assert.Equal((string?)delivery["notification_id"], (string?)withActor["notification_id"]);
        Assert.Equal((string?)delivery["notiflow_id"], (string?)withActor["notiflow_id"]);

        var one = (await AsJane(f, Get, $"{f.Entries}/{withActor["id"]}")).AssertStatus(200).Body;
        Assert.Equal(withActor.ToJsonString(), one.ToJsonString());
    }

    [Fact]
    public async Task List_Filters_ByStatus_Archived_Topic_AndCreatedWindow()
    {
        var f = await FeedAsync();
        (await Admin(f.Project, Post, "/admin/v1/users/jane/subscriptions", """{"topic_name": "news"}""")).AssertStatus(201);
        await EntriesAsync(f, 4); // #0..#3
        await RunAsync(f.Project, "inbox", """{"topic": "news", "data": {"n": 4}}""");
        await Host.DrainAsync();
        var ids = await IdsAsync(f); // #4, #3, #2, #1, #0
        (await AsJane(f, Patch, $"{f.Entries}/{ids[4]}", """{"seen": true}""")).AssertStatus(200);         // #0 seen
        (await AsJane(f, Patch, $"{f.Entries}/{ids[3]}", """{"read": true}""")).AssertStatus(200);         // #1 read, not seen
        (await AsJane(f, Patch, $"{f.Entries}/{ids[2]}", """{"seen": true, "archived": true}""")).AssertStatus(200); // #2 archived

        Assert.Equal([4, 3, 1], await NumbersAsync(f, "?status=unseen"));
        Assert.Equal([0], await NumbersAsync(f, "?status=seen"));
        Assert.Equal([2, 0], await NumbersAsync(f, "?status=seen&archived=true"));
        Assert.Equal([4, 3, 0], await NumbersAsync(f, "?status=unread"));
        Assert.Equal([1], await NumbersAsync(f, "?status=read"));
        Assert.Equal([2], await NumbersAsync(f, "?status=archived"));
        Assert.Equal([2], await NumbersAsync(f, "?status=archived&archived=false"));
        Assert.Equal([4, 3, 1, 0], await NumbersAsync(f, "?archived=false"));
        Assert.Equal([4, 3, 2, 1, 0], await NumbersAsync(f, "?archived=true"));
        Assert.Equal([4], await NumbersAsync(f, "?topic=news"));
        Assert.Empty(await NumbersAsync(f, "?topic=other"));
        Assert.Equal("news", (string?)Items(await ListAsync(f, "?topic=news"))[0]["topic"]);

        var all = Items(await ListAsync(f, "?archived=true"));
        string Created(int n) => Uri.EscapeDataString((string)all.Single(e => Number(e) == n)["created_at"]!);
        Assert.Equal([4, 3, 2], await NumbersAsync(f, $"?archived=true&created_after={Created(1)}"));
        Assert.Equal([1, 0], await NumbersAsync(f, $"?archived=true&created_before={Created(2)}"));
        Assert.Equal([2], await NumbersAsync(f, $"?archived=true&created_after={Created(1)}&created_before={Created(3)}"));

        // total_count follows the filters; the badge counts never do (non-archived entries only).
        Assert.Equal((3, 3, 3), Totals(await ListAsync(f, "?status=unseen")));
        Assert.Equal((1, 3, 3), Totals(await ListAsync(f, "?status=archived")));
        Assert.Equal((5, 3, 3), Totals(await ListAsync(f, "?archived=true")));
        Assert.Equal((4, 3, 3), Totals(await ListAsync(f)));
    }

    [Fact]
    public async Task List_Pages_Default20_Max100_AfterAndBefore()
    {
        var f = await FeedAsync();
        await PublishAsync(f.Project, "burst", Steps([Trigger, .. Enumerable.Range(1, 24).Select(i => InApp($"s{i}", i, $"#{i}")), End(25)]));
        await RunOneAsync(f.Project, "burst", recipient: "\"jane\"");

        var first = await ListAsync(f);
        Assert.Equal(20, Items(first).Count);
        Assert.Equal(24, (long)first["total_count"]!);
        Assert.True((bool)first["page"]!["has_more_after"]!);
        Assert.False((bool)first["page"]!["has_more_before"]!);
        var all = await IdsAsync(f, "?limit=1000");
        Assert.Equal(24, all.Count);
        Assert.Equal(100, (int)(await ListAsync(f, "?limit=1000"))["page"]!["limit"]!);
        Assert.Equal(all.Take(20), Items(first).Select(i => (string)i["id"]!));

        var second = await ListAsync(f, $"?after={first["page"]!["after"]}");
        Assert.Equal(all.Skip(20), Items(second).Select(i => (string)i["id"]!));
        Assert.False((bool)second["page"]!["has_more_after"]!);
        Assert.True((bool)second["page"]!["has_more_before"]!);

        var back = await ListAsync(f, $"?limit=3&before={second["page"]!["before"]}");
        Assert.Equal(all.Skip(17).Take(3), Items(back).Select(i => (string)i["id"]!));
        Assert.True((bool)back["page"]!["has_more_before"]!);
        Assert.True((bool)back["page"]!["has_more_after"]!);

        // A cursor is bound to its filters.
        (await AsJane(f, Get, $"{f.Entries}?status=unseen&after={first["page"]!["after"]}")).AssertError(400, "bad_request");
    }

    public static TheoryData<string, string> BadQueries => new()
    {
        { "status=new", "status" },
        { "status=ARCHIVED", "status" },
        { "archived=yes", "archived" },
        { "created_after=2024-01-01", "created_after" },
        { "created_before=yesterday", "created_before" },
        { "limit=0", "limit" },
        { "limit=ten", "limit" },
        { "after=not-a-cursor", "after" },
        { "before=not-a-cursor", "before" },
        { "after=a&before=b", "after" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task List_BadQuery_Is400InvalidParam(string query, string param)
    {
        var f = await FeedAsync();
        var error = (await AsJane(f, Get, $"{f.Entries}?{query}")).AssertError(400, "bad_request");
        Assert.Equal("invalid_param", (string?)error["details"]!["reason"]);
        Assert.Equal(param, (string?)error["details"]!["param"]);
    }

    [Fact]
    public async Task Get_BadId_Unknown_AndAnotherUsersEntry()
    {
        var f = await FeedAsync();
        await NotifyAsync(f);
        var bobs = await BobsEntryAsync(f);
        var error = (await AsJane(f, Get, $"{f.Entries}/nope")).AssertError(400, "bad_request");
        Assert.Equal(("invalid_uuid", "entry_id"), ((string?)error["details"]!["reason"], (string?)error["details"]!["param"]));
        var unknown = Guid.NewGuid().ToString();
        error = (await AsJane(f, Get, $"{f.Entries}/{unknown}")).AssertError(404, "not_found");
        Assert.Equal(("feed_entry", unknown), ((string?)error["details"]!["resource"], (string?)error["details"]!["id"]));
        error = (await AsJane(f, Get, $"{f.Entries}/{bobs}")).AssertError(404, "not_found");
        Assert.Equal("feed_entry", (string?)error["details"]!["resource"]);
        Assert.Single(await IdsAsync(f));
    }

    [Fact]
    public async Task DeletedActor_ShowsATombstone()
    {
        var f = await FeedAsync();
        await NotifyAsync(f, extra: """, "actor": {"external_id": "sam", "first_name": "Sam"}""");
        var actorId = (string)Items(await ListAsync(f))[0]["actor"]!["id"]!;
        (await Admin(f.Project, HttpMethod.Delete, "/admin/v1/users/sam")).AssertStatus(204);
        await Host.DrainAsync();
        var actor = Items(await ListAsync(f))[0]["actor"]!.AsObject();
        Assert.Equal(actorId, (string?)actor["id"]);
        Assert.True((bool)actor["deleted"]!);
        Assert.Null(actor["external_id"]);
    }

    [Fact]
    public async Task DevelopmentMode_UserIdHeader_ReadsTheSameFeed()
    {
        var f = await FeedAsync();
        await NotifyAsync(f);
        await DevelopmentModeAsync(f.Project);
        var list = (await AsUser(f.Project, Get, f.Entries, userId: "jane")).AssertStatus(200).Body;
        Assert.Equal(await IdsAsync(f), Items(list).Select(i => (string)i["id"]!));
        Assert.Empty(Items((await AsUser(f.Project, Get, f.Entries, userId: "bob")).AssertStatus(200).Body));
    }
}

public sealed class SqliteFeedListTests(SqliteFixture fixture) : FeedListTests<SqliteFixture>(fixture);

public sealed class PostgresFeedListTests(PostgresFixture fixture) : FeedListTests<PostgresFixture>(fixture);
