using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Admin.Lists;

/// <summary>Cursor pagination (§4.8) on every Admin list: both directions, limits, and cursors bound to their list.</summary>
public abstract class ListPagingTests<TFixture>(TFixture fixture) : ListTestBase<TFixture>(fixture) where TFixture : HostFixture
{
    /// <summary>Every list of the seeded project (each with at least two items) and a filter it accepts (null: it has none).</summary>
    private async Task<List<(string Path, string? Filter)>> ListsAsync(Seeded seeded)
    {
        var p = seeded.Project;
        (await Admin(p, HttpMethod.Post, "/admin/v1/users/alice/subscriptions", """{"topic_name": "more"}""")).AssertStatus(201);
        var mail = Id((await Items(p, $"/notifications?notiflow_run_id={seeded.MailRun}")).Single());
        return
        [
            ("/users", "created_after=2000-01-01T00:00:00Z"),
            ("/users/alice/subscriptions", null),
            ("/users/alice/notifications", "status=processed"),
            ("/users/alice/deliveries", "channel_type=in_app"),
            ("/notifications", "topic=news"),
            ($"/notifications/{mail}/deliveries", "status=sent"),
            ("/deliveries", "notiflow=hello"),
            ("/runs", "status=completed"),
            ($"/runs/{seeded.TopicRun}/notifications", "recipient=bob"),
        ];
    }

    [Fact]
    public async Task EveryList_PagesForwardWithAfter_AndBackWithBefore()
    {
        var seeded = await SeedAsync();
        var p = seeded.Project;
        foreach (var (path, _) in await ListsAsync(seeded))
        {
            var all = await Ids(p, path);
            Assert.True(all.Count >= 2, path);
            AssertNewestFirst(all);

            var forward = new List<string>();
            JsonObject page = (await Get(p, $"{path}?limit=1")).AssertStatus(200).Body;
            Assert.False((bool)page["page"]!["has_more_before"]!, path);
            while (true)
            {
                Assert.Equal(1, (int)page["page"]!["limit"]!);
                forward.AddRange(page["items"]!.AsArray().Select(Id));
                if (!(bool)page["page"]!["has_more_after"]!)
                {
                    break;
                }
                page = (await Get(p, $"{path}?limit=1&after={page["page"]!["after"]}")).AssertStatus(200).Body;
                Assert.True((bool)page["page"]!["has_more_before"]!, path);
            }
            Assert.Equal(all, forward);

            var backward = new List<string>(page["items"]!.AsArray().Select(Id));
            while ((bool)page["page"]!["has_more_before"]!)
            {
                page = (await Get(p, $"{path}?limit=1&before={page["page"]!["before"]}")).AssertStatus(200).Body;
                Assert.True((bool)page["page"]!["has_more_after"]!, path);
                backward.InsertRange(0, page["items"]!.AsArray().Select(Id));
            }
            Assert.Equal(all, backward);

            // A before page of several items is still newest first: the items just newer than the cursor.
            var oldest = (await Get(p, $"{path}?limit=1&after={(await Get(p, $"{path}?limit={all.Count - 1}")).Body["page"]!["after"]}")).Body;
            var newer = (await Get(p, $"{path}?limit=1000&before={oldest["page"]!["before"]}")).AssertStatus(200).Body;
            Assert.Equal(all.SkipLast(1), newer["items"]!.AsArray().Select(Id));
            Assert.False((bool)newer["page"]!["has_more_before"]!);
            Assert.True((bool)newer["page"]!["has_more_after"]!);

            // Past the end: an empty page whose cursors are null.
            var end = (await Get(p, $"{path}?after={oldest["page"]!["after"]}")).AssertStatus(200).Body;
            Assert.Empty(end["items"]!.AsArray());
            Assert.Null(end["page"]!["after"]);
            Assert.Null(end["page"]!["before"]);
            Assert.False((bool)end["page"]!["has_more_after"]!);
        }
    }

    [Fact]
    public async Task EveryList_RejectsBadLimits_AndClampsLargeOnes()
    {
        var seeded = await SeedAsync();
        var p = seeded.Project;
        foreach (var (path, _) in await ListsAsync(seeded))
        {
            foreach (var limit in new[] { "0", "-1", "abc", "1.5" })
            {
                AssertBadParam(await Get(p, $"{path}?limit={limit}"), "limit");
            }
            Assert.Equal(1000, (int)(await Get(p, $"{path}?limit=5000")).AssertStatus(200).Body["page"]!["limit"]!);
            Assert.Equal(25, (int)(await Get(p, path)).AssertStatus(200).Body["page"]!["limit"]!);
        }
    }

    [Fact]
    public async Task EveryList_RefusesCursorsNotMadeForIt()
    {
        var seeded = await SeedAsync();
        var p = seeded.Project;
        var other = await NewProjectAsync();
        var lists = await ListsAsync(seeded);
        var cursors = new List<string>();
        foreach (var (path, _) in lists)
        {
            cursors.Add((string)(await Get(p, $"{path}?limit=1")).AssertStatus(200).Body["page"]!["after"]!);
        }
        for (var i = 0; i < lists.Count; i++)
        {
            var (path, filter) = lists[i];
            var cursor = cursors[i];
            (await Get(p, $"{path}?after={cursor}")).AssertStatus(200);
            (await Get(p, $"{path}?before={cursor}")).AssertStatus(200);
            AssertBadParam(await Get(p, $"{path}?after={cursor}&before={cursor}"), "after");
            AssertBadParam(await Get(p, $"{path}?after=garbage"), "after");
            AssertBadParam(await Get(p, $"{path}?before=%2F%2F%2F"), "before");
            AssertBadParam(await Get(p, $"{path}?after=eyJTIjoieCIsIksiOiJ5In0"), "after"); // valid base64 JSON of another scope
            AssertBadParam(await Get(p, $"{path}?after={cursors[(i + 1) % lists.Count]}"), "after");
            AssertBadParam(await Get(p, $"{path}?before={cursors[(i + 1) % lists.Count]}"), "before");
            AssertBadParam(await Get(other, $"{path}?after={cursor}"), "after");
            if (filter is not null)
            {
                AssertBadParam(await Get(p, $"{path}?after={cursor}&{filter}"), "after");
                var filtered = (string?)(await Get(p, $"{path}?limit=1&{filter}")).AssertStatus(200).Body["page"]!["after"];
                AssertBadParam(await Get(p, $"{path}?after={filtered}"), "after");
            }
        }
        // The owner in the path is part of the scope: alice's cursor does not page bob's list.
        var alices = (string)(await Get(p, "/users/alice/notifications?limit=1")).Body["page"]!["after"]!;
        AssertBadParam(await Get(p, $"/users/bob/notifications?after={alices}"), "after");
    }
}

public sealed class SqliteListPagingTests(SqliteFixture fixture) : ListPagingTests<SqliteFixture>(fixture);

public sealed class PostgresListPagingTests(PostgresFixture fixture) : ListPagingTests<PostgresFixture>(fixture);
