using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Engine;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Admin.Topics;

/// <summary>Topics and subscriptions (§5.3, §5.4, §6.2, §6.9).</summary>
public abstract class TopicTests<TFixture>(TFixture fixture) : EngineTests<TFixture>(fixture) where TFixture : HostFixture
{
    private async Task<TestProject> ProjectWithUsersAsync(params string[] users)
    {
        var p = await NewProjectAsync();
        foreach (var u in users)
        {
            (await Admin(p, HttpMethod.Put, $"/admin/v1/users/{u}", "{}")).AssertStatus(201);
        }
        return p;
    }

    private Task<ApiResponse> Subscribe(TestProject p, string user, string topic) =>
        Admin(p, HttpMethod.Post, $"/admin/v1/users/{user}/subscriptions", $$"""{"topic_name": "{{topic}}"}""");

    private static string Ids(params string[] ids) => $$"""{"user_external_ids": [{{string.Join(", ", ids.Select(i => $"\"{i}\""))}}]}""";

    private static List<string> Names(JsonObject page, string field) => page["items"]!.AsArray().Select(i => (string)i![field]!).ToList();

    [Fact]
    public async Task Subscribe_Returns201_ThenSameSubscriptionWith200()
    {
        var p = await ProjectWithUsersAsync("u1");

        var created = (await Subscribe(p, "u1", "orders")).AssertStatus(201).Body;
        var again = (await Subscribe(p, "u1", "orders")).AssertStatus(200).Body;

        Assert.True(JsonNode.DeepEquals(created, again), again.ToJsonString());
        var user = (await Admin(p, HttpMethod.Get, "/admin/v1/users/u1")).AssertStatus(200).Body;
        Assert.Equal(("orders", (string?)user["id"], "u1"),
            ((string?)created["topic_name"], (string?)created["user_id"], (string?)created["user_external_id"]));
        Assert.True(Guid.TryParse((string?)created["id"], out _));
        Assert.NotNull(created["created_at"]);
        var topic = (await Admin(p, HttpMethod.Get, "/admin/v1/topics/orders")).AssertStatus(200).Body;
        Assert.Equal(1, (int)topic["subscriber_count"]!);
    }

    [Fact]
    public async Task Subscribe_UnknownUser_Returns404User()
    {
        var p = await NewProjectAsync();

        var error = (await Subscribe(p, "ghost", "orders")).AssertError(404, "not_found");

        Assert.Equal(("user", "ghost"), ((string?)error["details"]!["resource"], (string?)error["details"]!["id"]));
        (await Admin(p, HttpMethod.Get, "/admin/v1/topics/orders")).AssertError(404, "not_found");
    }

    [Theory]
    [InlineData("""{"topic_name": "a b"}""", "format")]
    [InlineData("""{"topic_name": ".."}""", "format")]
    [InlineData("""{"topic_name": "a/b"}""", "format")]
    [InlineData("""{"topic_name": ""}""", "format")]
    [InlineData("""{"topic_name": 5}""", "invalid")]
    [InlineData("""{}""", "required")]
    public async Task Subscribe_BadTopicName_Returns422(string body, string reason)
    {
        var p = await ProjectWithUsersAsync("u1");

        (await Admin(p, HttpMethod.Post, "/admin/v1/users/u1/subscriptions", body)).AssertError(422, "validation_failed", "topic_name", reason);

        Assert.Empty(Names((await Admin(p, HttpMethod.Get, "/admin/v1/topics")).AssertStatus(200).Body, "name"));
    }

    [Fact]
    public async Task Unsubscribe_IsIdempotent204()
    {
        var p = await ProjectWithUsersAsync("u1", "u2");
        (await Subscribe(p, "u1", "orders")).AssertStatus(201);
        (await Subscribe(p, "u2", "orders")).AssertStatus(201);

        (await Admin(p, HttpMethod.Delete, "/admin/v1/users/u1/subscriptions/orders")).AssertStatus(204);
        (await Admin(p, HttpMethod.Delete, "/admin/v1/users/u1/subscriptions/orders")).AssertStatus(204);
        (await Admin(p, HttpMethod.Delete, "/admin/v1/users/u1/subscriptions/never-existed")).AssertStatus(204);

        var topic = (await Admin(p, HttpMethod.Get, "/admin/v1/topics/orders")).AssertStatus(200).Body;
        Assert.Equal(1, (int)topic["subscriber_count"]!);
        (await Admin(p, HttpMethod.Delete, "/admin/v1/users/ghost/subscriptions/orders")).AssertError(404, "not_found");
    }

    [Fact]
    public async Task ListTopics_ShowsSubscriberCounts_NewestFirst_WithCursorPaging()
    {
        var p = await ProjectWithUsersAsync("u1", "u2", "u3");
        string[] topics = ["t1", "t2", "t3", "t4", "t5"];
        foreach (var t in topics)
        {
            (await Subscribe(p, "u1", t)).AssertStatus(201);
        }
        (await Subscribe(p, "u2", "t3")).AssertStatus(201);
        (await Subscribe(p, "u3", "t3")).AssertStatus(201);
        (await Admin(p, HttpMethod.Delete, "/admin/v1/users/u1/subscriptions/t5")).AssertStatus(204);

        var all = (await Admin(p, HttpMethod.Get, "/admin/v1/topics")).AssertStatus(200).Body;
        Assert.Equal(["t5", "t4", "t3", "t2", "t1"], Names(all, "name"));
        Assert.Equal([0, 1, 3, 1, 1], all["items"]!.AsArray().Select(i => (int)i!["subscriber_count"]!).ToList());
        Assert.Equal(25, (int)all["page"]!["limit"]!);

        var first = (await Admin(p, HttpMethod.Get, "/admin/v1/topics?limit=2")).AssertStatus(200).Body;
        Assert.Equal(["t5", "t4"], Names(first, "name"));
        Assert.True((bool)first["page"]!["has_more_after"]!);
        Assert.False((bool)first["page"]!["has_more_before"]!);
        var second = (await Admin(p, HttpMethod.Get, $"/admin/v1/topics?limit=2&after={first["page"]!["after"]}")).AssertStatus(200).Body;
        Assert.Equal(["t3", "t2"], Names(second, "name"));
        Assert.True((bool)second["page"]!["has_more_after"]!);
        Assert.True((bool)second["page"]!["has_more_before"]!);
        var third = (await Admin(p, HttpMethod.Get, $"/admin/v1/topics?limit=2&after={second["page"]!["after"]}")).AssertStatus(200).Body;
        Assert.Equal(["t1"], Names(third, "name"));
        Assert.False((bool)third["page"]!["has_more_after"]!);
        var back = (await Admin(p, HttpMethod.Get, $"/admin/v1/topics?limit=2&before={third["page"]!["before"]}")).AssertStatus(200).Body;
        Assert.Equal(["t3", "t2"], Names(back, "name"));
        Assert.True((bool)back["page"]!["has_more_before"]!);
        (await Admin(p, HttpMethod.Get, "/admin/v1/topics?limit=0")).AssertError(400, "bad_request");
        var other = await NewProjectAsync();
        (await Admin(other, HttpMethod.Get, $"/admin/v1/topics?after={first["page"]!["after"]}")).AssertError(400, "bad_request");
    }

    [Fact]
    public async Task GetTopic_ReturnsIt_Or404Topic()
    {
        var p = await ProjectWithUsersAsync("u1");
        var sub = (await Subscribe(p, "u1", "news:daily")).AssertStatus(201).Body;

        var topic = (await Admin(p, HttpMethod.Get, "/admin/v1/topics/news:daily")).AssertStatus(200).Body;

        Assert.Equal(("news:daily", 1), ((string?)topic["name"], (int)topic["subscriber_count"]!));
        Assert.Equal((string?)sub["created_at"], (string?)topic["created_at"]);
        Assert.True(Guid.TryParse((string?)topic["id"], out _));
        var error = (await Admin(p, HttpMethod.Get, "/admin/v1/topics/nope")).AssertError(404, "not_found");
        Assert.Equal("topic", (string?)error["details"]!["resource"]);
    }

    [Fact]
    public async Task TopicSubscriptions_CursorPaged_UnknownTopicEmpty()
    {
        var p = await ProjectWithUsersAsync("u1", "u2", "u3", "u4", "u5");
        var bulk = (await Admin(p, HttpMethod.Post, "/admin/v1/topics/orders/subscriptions", Ids("u1", "u2", "u3", "u4", "u5"))).AssertStatus(200).Body;
        Assert.Equal(["u1", "u2", "u3", "u4", "u5"], bulk["successful"]!.AsArray().Select(s => (string)s!["user_external_id"]!).ToList());

        var first = (await Admin(p, HttpMethod.Get, "/admin/v1/topics/orders/subscriptions?limit=2")).AssertStatus(200).Body;
        var second = (await Admin(p, HttpMethod.Get, $"/admin/v1/topics/orders/subscriptions?limit=2&after={first["page"]!["after"]}")).AssertStatus(200).Body;
        var third = (await Admin(p, HttpMethod.Get, $"/admin/v1/topics/orders/subscriptions?limit=2&after={second["page"]!["after"]}")).AssertStatus(200).Body;

        Assert.Equal(["u5", "u4", "u3", "u2", "u1"], Names(first, "user_external_id").Concat(Names(second, "user_external_id"))
            .Concat(Names(third, "user_external_id")));
        Assert.False((bool)third["page"]!["has_more_after"]!);
        Assert.All(first["items"]!.AsArray(), i => Assert.Equal("orders", (string?)i!["topic_name"]));
        var unknown = (await Admin(p, HttpMethod.Get, "/admin/v1/topics/unknown/subscriptions")).AssertStatus(200).Body;
        Assert.Empty(unknown["items"]!.AsArray());
        Assert.Null(unknown["page"]!["after"]);
        // A cursor of one topic's list is not valid on another's.
        (await Admin(p, HttpMethod.Get, $"/admin/v1/topics/unknown/subscriptions?after={first["page"]!["after"]}")).AssertError(400, "bad_request");
    }

    [Fact]
    public async Task TopicSubscriptions_FilterByCreatedAt()
    {
        var p = await ProjectWithUsersAsync("u1", "u2", "u3");
        (await Subscribe(p, "u1", "t")).AssertStatus(201);
        Host.Time.Advance(TimeSpan.FromHours(1));
        var middle = Host.Time.GetUtcNow();
        (await Subscribe(p, "u2", "t")).AssertStatus(201);
        Host.Time.Advance(TimeSpan.FromHours(1));
        (await Subscribe(p, "u3", "t")).AssertStatus(201);
        var at = Uri.EscapeDataString(middle.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));

        var after = (await Admin(p, HttpMethod.Get, $"/admin/v1/topics/t/subscriptions?created_after={at}")).AssertStatus(200).Body;
        var before = (await Admin(p, HttpMethod.Get, $"/admin/v1/topics/t/subscriptions?created_before={at}")).AssertStatus(200).Body;

        // Exclusive bounds (as §7.2 states for the feed): u2, created exactly at the bound, is in neither list.
        Assert.Equal(["u3"], Names(after, "user_external_id"));
        Assert.Equal(["u1"], Names(before, "user_external_id"));
        var offset = Uri.EscapeDataString(middle.ToOffset(TimeSpan.FromHours(2)).AddSeconds(-1)
            .ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));
        var both = (await Admin(p, HttpMethod.Get, $"/admin/v1/topics/t/subscriptions?created_after={offset}&created_before={at}")).AssertStatus(200).Body;
        Assert.Empty(both["items"]!.AsArray());
        var page = (await Admin(p, HttpMethod.Get, $"/admin/v1/topics/t/subscriptions?created_after={offset}&limit=1")).AssertStatus(200).Body;
        Assert.Equal(["u3"], Names(page, "user_external_id"));
        var next = (await Admin(p, HttpMethod.Get, $"/admin/v1/topics/t/subscriptions?created_after={offset}&limit=1&after={page["page"]!["after"]}"))
            .AssertStatus(200).Body;
        Assert.Equal(["u2"], Names(next, "user_external_id"));
        Assert.False((bool)next["page"]!["has_more_after"]!);
        // A cursor belongs to its filters.
        (await Admin(p, HttpMethod.Get, $"/admin/v1/topics/t/subscriptions?after={page["page"]!["after"]}")).AssertError(400, "bad_request");
        var bad = (await Admin(p, HttpMethod.Get, "/admin/v1/topics/t/subscriptions?created_before=2026-01-15")).AssertError(400, "bad_request");
        Assert.Equal(("invalid_param", "created_before"), ((string?)bad["details"]!["reason"], (string?)bad["details"]!["param"]));
    }

    [Fact]
    public async Task BulkSubscribe_AllExist_Returns200_DuplicatesIgnored_ExistingReturned()
    {
        var p = await ProjectWithUsersAsync("u1", "u2", "u3");
        var existing = (await Subscribe(p, "u2", "orders")).AssertStatus(201).Body;

        var response = await Admin(p, HttpMethod.Post, "/admin/v1/topics/orders/subscriptions", Ids("u1", "u2", "u1", "u3", "u3"));

        var body = response.AssertStatus(200).Body;
        Assert.Equal(["u1", "u2", "u3"], body["successful"]!.AsArray().Select(s => (string)s!["user_external_id"]!).ToList());
        Assert.True(JsonNode.DeepEquals(existing, body["successful"]![1]));
        Assert.Empty(body["failed"]!.AsArray());
        Assert.Equal(3, (int)(await Admin(p, HttpMethod.Get, "/admin/v1/topics/orders")).AssertStatus(200).Body["subscriber_count"]!);
    }

    [Fact]
    public async Task BulkSubscribe_SomeMissing_Returns207_AndDoesNotCreateUsers()
    {
        var p = await ProjectWithUsersAsync("u1");

        var body = (await Admin(p, HttpMethod.Post, "/admin/v1/topics/orders/subscriptions", Ids("u1", "ghost", "ghost"))).AssertStatus(207).Body;

        Assert.Equal(["u1"], body["successful"]!.AsArray().Select(s => (string)s!["user_external_id"]!).ToList());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"external_id": "ghost", "reason": "User not found"}]"""), body["failed"]), body.ToJsonString());
        (await Admin(p, HttpMethod.Get, "/admin/v1/users/ghost")).AssertError(404, "not_found");
    }

    [Fact]
    public async Task BulkSubscribe_AllMissing_Returns207()
    {
        var p = await NewProjectAsync();

        var body = (await Admin(p, HttpMethod.Post, "/admin/v1/topics/orders/subscriptions", Ids("a", "b"))).AssertStatus(207).Body;

        Assert.Empty(body["successful"]!.AsArray());
        Assert.Equal(2, body["failed"]!.AsArray().Count);
    }

    [Fact]
    public async Task BulkUnsubscribe_ReportsRemovedTrueOrFalse()
    {
        var p = await ProjectWithUsersAsync("u1", "u2");
        (await Subscribe(p, "u1", "orders")).AssertStatus(201);

        var ok = (await SendAsync(Host.Admin(p.PublicKey, p.SecretKey), HttpMethod.Delete, "/admin/v1/topics/orders/subscriptions", Ids("u1", "u2")))
            .AssertStatus(200).Body;
        var partial = (await SendAsync(Host.Admin(p.PublicKey, p.SecretKey), HttpMethod.Delete, "/admin/v1/topics/orders/subscriptions", Ids("u1", "ghost")))
            .AssertStatus(207).Body;

        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"successful": [{"external_id": "u1", "removed": true}, {"external_id": "u2", "removed": false}], "failed": []}"""), ok),
            ok.ToJsonString());
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"successful": [{"external_id": "u1", "removed": false}], "failed": [{"external_id": "ghost", "reason": "User not found"}]}"""),
            partial), partial.ToJsonString());
        Assert.Equal(0, (int)(await Admin(p, HttpMethod.Get, "/admin/v1/topics/orders")).AssertStatus(200).Body["subscriber_count"]!);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("DELETE")]
    public async Task Bulk_BadBodies_Return422(string method)
    {
        var p = await ProjectWithUsersAsync("u1");
        var verb = new HttpMethod(method);
        var path = "/admin/v1/topics/orders/subscriptions";

        (await Admin(p, verb, path, Ids(Enumerable.Range(0, 1001).Select(i => $"u{i}").ToArray())))
            .AssertError(422, "validation_failed", "user_external_ids", "too_many");
        (await Admin(p, verb, path, """{"user_external_ids": []}""")).AssertError(422, "validation_failed", "user_external_ids", "too_short");
        (await Admin(p, verb, path, "{}")).AssertError(422, "validation_failed", "user_external_ids", "required");
        (await Admin(p, verb, path, """{"user_external_ids": ["u1", 2]}""")).AssertError(422, "validation_failed", "user_external_ids", "invalid");
        (await Admin(p, verb, "/admin/v1/topics/a%20b/subscriptions", Ids("u1"))).AssertError(422, "validation_failed", "topic", "format");
        (await Admin(p, HttpMethod.Get, "/admin/v1/topics/orders")).AssertError(404, "not_found");
    }

    [Fact]
    public async Task Bulk_1000Ids_IsAccepted()
    {
        var p = await ProjectWithUsersAsync("u1");

        var body = (await Admin(p, HttpMethod.Post, "/admin/v1/topics/orders/subscriptions",
            Ids(["u1", .. Enumerable.Range(0, 999).Select(i => $"x{i}")]))).AssertStatus(207).Body;

        Assert.Single(body["successful"]!.AsArray());
        Assert.Equal(999, body["failed"]!.AsArray().Count);
    }

    [Fact]
    public async Task Topics_AreScopedPerProject()
    {
        var p1 = await ProjectWithUsersAsync("u1");
        var p2 = await NewProjectAsync();
        (await Subscribe(p1, "u1", "orders")).AssertStatus(201);

        (await Admin(p2, HttpMethod.Get, "/admin/v1/topics/orders")).AssertError(404, "not_found");
        Assert.Empty((await Admin(p2, HttpMethod.Get, "/admin/v1/topics")).AssertStatus(200).Body["items"]!.AsArray());
    }
}

public sealed class SqliteTopicTests(SqliteFixture fixture) : TopicTests<SqliteFixture>(fixture);

public sealed class PostgresTopicTests(PostgresFixture fixture) : TopicTests<PostgresFixture>(fixture);
