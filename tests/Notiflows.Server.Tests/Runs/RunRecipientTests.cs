using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Runs;

/// <summary>Recipients and actor of a run (§6.5): shorthand, merged duplicates, upserted attributes, deep-merged custom fields.</summary>
public abstract class RunRecipientTests<TFixture>(TFixture fixture) : RunTestBase<TFixture>(fixture) where TFixture : HostFixture
{
    [Fact]
    public async Task Run_ShorthandStrings_CreateUsersAndOneNotificationEach()
    {
        var p = await ProjectWithFlowAsync();

        var id = RunId(await AdminRun(p, """{"recipients": ["alice", "bob", "carol"]}"""));
        Assert.Equal(3, (int)(await RunView(p, id))["recipient_count"]!);
        await Host.DrainAsync();

        var notifications = await Notifications(p, id);
        Assert.Equal(["alice", "bob", "carol"], notifications.Select(n => (string)n["recipient"]!["external_id"]!).Order(StringComparer.Ordinal));
        var alice = (await GetUser(p, "alice")).AssertStatus(200).Body;
        Assert.Null(alice["email"]);
        Assert.Equal("{}", alice["custom_fields"]!.ToJsonString());
    }

    [Fact]
    public async Task Run_Duplicates_AreMergedInOrder_AndGetOneNotification()
    {
        var p = await ProjectWithFlowAsync();

        var id = RunId(await AdminRun(p, """
            {"recipients": [
              {"external_id": "b", "first_name": "First", "email": "b1@example.com", "custom_fields": {"plan": {"tier": "free", "seats": 1}, "a": 1}},
              "a",
              {"external_id": "b", "first_name": "Second", "custom_fields": {"plan": {"tier": "pro"}, "a": null}},
              "a",
              {"external_id": "b", "last_name": "Last", "email": null}
            ]}
            """));

        var run = await RunView(p, id);
        Assert.Equal(2, (int)run["recipient_count"]!);
        await Host.DrainAsync();
        var notifications = await Notifications(p, id);
        Assert.Equal(2, notifications.Count);
        Assert.Equal(["a", "b"], notifications.Select(n => (string)n["recipient"]!["external_id"]!).Order(StringComparer.Ordinal));
        var b = (await GetUser(p, "b")).AssertStatus(200).Body;
        Assert.Equal("Second", (string?)b["first_name"]);
        Assert.Equal("Last", (string?)b["last_name"]);
        Assert.Null(b["email"]);
        Assert.True(JsonNode.DeepEquals(Obj("""{"plan": {"tier": "pro", "seats": 1}}"""), b["custom_fields"]), b.ToJsonString());
    }

    [Fact]
    public async Task Run_DuplicateThatClearsCustomFields_ThenSetsThem_ReplacesStoredFields()
    {
        var p = await ProjectWithFlowAsync();
        (await PutUser(p, "u", """{"custom_fields": {"old": true, "keep": {"x": 1}}}""")).AssertStatus(201);

        RunId(await AdminRun(p, """
            {"recipients": [{"external_id": "u", "custom_fields": null}, {"external_id": "u", "custom_fields": {"new": 1}}]}
            """));

        var u = (await GetUser(p, "u")).AssertStatus(200).Body;
        Assert.True(JsonNode.DeepEquals(Obj("""{"new": 1}"""), u["custom_fields"]), u.ToJsonString());
    }

    [Fact]
    public async Task Run_DuplicateRemovingAKey_RemovesItFromStoredFields()
    {
        var p = await ProjectWithFlowAsync();
        (await PutUser(p, "u", """{"custom_fields": {"gone": 1, "stay": 2}}""")).AssertStatus(201);

        RunId(await AdminRun(p, """
            {"recipients": [{"external_id": "u", "custom_fields": {"x": 1}}, {"external_id": "u", "custom_fields": {"gone": null}}]}
            """));

        var u = (await GetUser(p, "u")).AssertStatus(200).Body;
        Assert.True(JsonNode.DeepEquals(Obj("""{"stay": 2, "x": 1}"""), u["custom_fields"]), u.ToJsonString());
    }

    [Fact]
    public async Task Run_UpsertsRecipientsAndActorWithAttributes()
    {
        var p = await ProjectWithFlowAsync();

        var id = RunId(await AdminRun(p, """
            {"recipients": [{"external_id": "user_12345", "email": "jane@example.com", "first_name": "Jane", "last_name": "Doe",
                             "phone": "+15551234567", "avatar": "https://example.com/j.png", "locale": "en-US", "timezone": "Europe/Paris",
                             "custom_fields": {"vip": true}}],
             "actor": {"external_id": "admin_1", "first_name": "Ada", "email": "ada@example.com"},
             "data": {"order_id": "ORD-1"}, "cancellation_key": "order-1"}
            """));

        var jane = (await GetUser(p, "user_12345")).AssertStatus(200).Body;
        Assert.Equal(
            ("jane@example.com", "Jane", "Doe", "+15551234567", "https://example.com/j.png", "en-US", "Europe/Paris"),
            ((string?)jane["email"], (string?)jane["first_name"], (string?)jane["last_name"], (string?)jane["phone"], (string?)jane["avatar"],
                (string?)jane["locale"], (string?)jane["timezone"]));
        Assert.True((bool)jane["custom_fields"]!["vip"]!);
        var actor = (await GetUser(p, "admin_1")).AssertStatus(200).Body;
        Assert.Equal(("Ada", "ada@example.com"), ((string?)actor["first_name"], (string?)actor["email"]));
        var run = await RunView(p, id);
        Assert.Equal((string?)actor["id"], (string?)run["actor_id"]);
        Assert.Equal("order-1", (string?)run["cancellation_key"]);
        Assert.Equal("ORD-1", (string?)run["data"]!["order_id"]);
        await Host.DrainAsync();
        var n = await OnlyNotification(p, id);
        Assert.Equal((string?)jane["id"], (string?)n["recipient_id"]);
        Assert.Equal((string?)actor["id"], (string?)n["actor_id"]);
    }

    [Fact]
    public async Task Run_CustomFields_AreDeepMergedOnALaterRun()
    {
        var p = await ProjectWithFlowAsync();
        RunId(await AdminRun(p, """
            {"recipients": [{"external_id": "u", "first_name": "U", "custom_fields": {"plan": {"tier": "free", "seats": 1}, "tags": [1, 2], "drop": 1}}]}
            """));

        RunId(await AdminRun(p, """
            {"recipients": [{"external_id": "u", "custom_fields": {"plan": {"tier": "pro"}, "tags": [3], "drop": null, "new": "x"}}]}
            """));
        RunId(await AdminRun(p, """{"recipients": ["u"]}"""));

        var u = (await GetUser(p, "u")).AssertStatus(200).Body;
        Assert.Equal("U", (string?)u["first_name"]);
        Assert.True(JsonNode.DeepEquals(Obj("""{"plan": {"tier": "pro", "seats": 1}, "tags": [3], "new": "x"}"""), u["custom_fields"]), u.ToJsonString());
    }

    [Fact]
    public async Task Run_ActorAlsoRecipient_IsOneUser_AttributesMergedInOrder()
    {
        var p = await ProjectWithFlowAsync();

        var id = RunId(await AdminRun(p, """
            {"recipients": [{"external_id": "a", "first_name": "Recipient", "email": "a@example.com"}, "b"],
             "actor": {"external_id": "a", "first_name": "Actor"}}
            """));
        await Host.DrainAsync();

        var a = (await GetUser(p, "a")).AssertStatus(200).Body;
        Assert.Equal(("Actor", "a@example.com"), ((string?)a["first_name"], (string?)a["email"]));
        var notifications = await Notifications(p, id);
        Assert.Equal(2, notifications.Count);
        Assert.All(notifications, n => Assert.Equal((string?)a["id"], (string?)n["actor_id"]));
        Assert.Contains(notifications, n => (string?)n["recipient_id"] == (string?)a["id"]);
        Assert.Equal((string?)a["id"], (string?)(await RunView(p, id))["actor_id"]);
    }

    [Fact]
    public async Task Run_ActorShorthand_ExistingUser_KeepsAttributes()
    {
        var p = await ProjectWithFlowAsync();
        (await PutUser(p, "act", """{"first_name": "Kept", "email": "k@example.com"}""")).AssertStatus(201);

        RunId(await AdminRun(p, """{"recipients": ["r"], "actor": "act"}"""));

        var act = (await GetUser(p, "act")).AssertStatus(200).Body;
        Assert.Equal(("Kept", "k@example.com"), ((string?)act["first_name"], (string?)act["email"]));
    }

    [Fact]
    public async Task Run_ExistingUserUnchanged_KeepsUpdatedAt()
    {
        var p = await ProjectWithFlowAsync();
        var created = (await PutUser(p, "u", """{"first_name": "U", "custom_fields": {"a": {"b": 1}}}""")).AssertStatus(201).Body;
        Host.Time.Advance(TimeSpan.FromMinutes(5));

        RunId(await AdminRun(p, """{"recipients": [{"external_id": "u", "first_name": "U", "custom_fields": {"a": {"b": 1}}}]}"""));

        Assert.Equal((string?)created["updated_at"], (string?)(await GetUser(p, "u")).AssertStatus(200).Body["updated_at"]);
    }

    [Fact]
    public async Task TopicRun_UnknownTopic_CompletesWithZeroNotifications()
    {
        var p = await ProjectWithFlowAsync();

        var id = RunId(await AdminRun(p, """{"topic": "nobody-here", "actor": "act"}"""));
        await Host.DrainAsync();

        var run = await RunView(p, id);
        Assert.Equal("completed", (string?)run["status"]);
        Assert.Equal("nobody-here", (string?)run["topic"]);
        Assert.Equal(0, (int)run["recipient_count"]!);
        Assert.Empty(await Notifications(p, id));
        (await GetUser(p, "act")).AssertStatus(200);
    }
}

public sealed class SqliteRunRecipientTests(SqliteFixture fixture) : RunRecipientTests<SqliteFixture>(fixture);

public sealed class PostgresRunRecipientTests(PostgresFixture fixture) : RunRecipientTests<PostgresFixture>(fixture);
