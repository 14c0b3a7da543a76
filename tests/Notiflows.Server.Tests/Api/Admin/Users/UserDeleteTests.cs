using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Engine;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Admin.Users;

/// <summary><c>DELETE /admin/v1/users/{external_id}</c> (§6.1 delete rules, §5.2 tombstones).</summary>
public abstract class UserDeleteTests<TFixture>(TFixture fixture) : EngineTests<TFixture>(fixture) where TFixture : HostFixture
{
    private const string MailStep = """
        {"handle": "mail", "type": "channel", "channel_type": "email", "position": 2,
         "template": {"data": {"subject": "Hi {{ recipient.first_name }}", "body": "For {{ recipient.email }}", "content_type": "plaintext"}}}
        """;

    private Task<ApiResponse> Delete(TestProject p, string externalId) =>
        Admin(p, HttpMethod.Delete, $"/admin/v1/users/{Uri.EscapeDataString(externalId)}");

    [Fact]
    public async Task Delete_AnswersNoContent_ThenTheUserIsGone()
    {
        var p = await NewProjectAsync();
        (await Admin(p, HttpMethod.Put, "/admin/v1/users/jane", """{"email": "jane@acme.com"}""")).AssertStatus(201);
        var response = (await Delete(p, "jane")).AssertStatus(204);
        Assert.Equal("", response.Text);
        (await Admin(p, HttpMethod.Get, "/admin/v1/users/jane")).AssertError(404, "not_found");
        (await Delete(p, "jane")).AssertError(404, "not_found");
    }

    [Fact]
    public async Task Delete_UnknownUser_Is404NamingTheUser()
    {
        var p = await NewProjectAsync();
        var error = (await Delete(p, "nobody")).AssertError(404, "not_found");
        Assert.Equal("user", (string?)error["details"]!["resource"]);
    }

    [Theory]
    [InlineData("/admin/v1/users/")]
    [InlineData("/admin/users/")]
    [InlineData("/api/admin/v1/users/")]
    public async Task Delete_WorksUnderEveryAlias(string prefix)
    {
        var p = await NewProjectAsync();
        (await Admin(p, HttpMethod.Put, prefix + "u%2Fx", "{}")).AssertError(422, "validation_failed");
        (await Admin(p, HttpMethod.Put, prefix + "u1", "{}")).AssertStatus(201);
        (await Admin(p, HttpMethod.Delete, prefix + "u1")).AssertStatus(204);
    }

    [Fact]
    public async Task Delete_LeavesTombstonesAndClearsWhatWasSentToTheUser()
    {
        var p = await PublishAsync(await NewProjectAsync(), "hello", Steps(Trigger, InApp("inbox", 1, "Hi {{ recipient.first_name }}"), MailStep, End(3)));
        var runId = await RunAsync(p, "hello", """
            {"recipients": [{"external_id": "jane", "email": "jane@acme.com", "first_name": "Jane"}, {"external_id": "bob", "email": "bob@acme.com"}],
             "actor": {"external_id": "ann", "first_name": "Ann"}}
            """);
        await Host.DrainAsync();
        var before = await Notifications(p, runId);
        var janes = before.Single(n => (string?)n["recipient"]!["external_id"] == "jane");
        var bobs = before.Single(n => (string?)n["recipient"]!["external_id"] == "bob");
        var janeId = (string)janes["recipient_id"]!;
        Assert.Equal("sent", (string?)Delivery(await Reload(p, janes), "mail")["status"]);

        (await Delete(p, "jane")).AssertStatus(204);
        (await Delete(p, "ann")).AssertStatus(204);

        var jane = await Reload(p, janes);
        Assert.Equal(janeId, (string?)jane["recipient_id"]);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["id"] = janeId, ["deleted"] = true }, jane["recipient"]));
        Assert.True((bool)jane["actor"]!["deleted"]!);
        Assert.Equal(2, ((JsonObject)jane["actor"]!).Count);
        Assert.Equal("processed", (string?)jane["status"]); // what already ended keeps its outcome
        foreach (var d in Deliveries(jane))
        {
            Assert.Equal("sent", (string?)d["status"]);
            Assert.Equal("{}", d["data"]!.ToJsonString());
            Assert.Null((string?)d["recipient_address"]);
        }
        // The other recipient keeps everything; only the deleted actor became a tombstone.
        var bob = await Reload(p, bobs);
        Assert.Equal("bob@acme.com", (string?)bob["recipient"]!["email"]);
        Assert.Equal("bob@acme.com", (string?)Delivery(bob, "mail")["recipient_address"]);
        Assert.Equal("For bob@acme.com", (string?)Delivery(bob, "mail")["data"]!["body"]);
        Assert.True((bool)bob["actor"]!["deleted"]!);
    }

    [Fact]
    public async Task Delete_CancelsWaitingNotifications_AndTheirRunEnds()
    {
        var p = await PublishAsync(await NewProjectAsync(), "later", Steps(Trigger, Wait("pause", 1, 1), InApp("after", 2), End(3)));
        var runId = await RunAsync(p, "later", """{"recipients": ["jane"]}""");
        await Host.DrainAsync();
        Assert.Equal("running", (string?)(await RunView(p, runId))["status"]);

        (await Delete(p, "jane")).AssertStatus(204);
        Host.Time.Advance(TimeSpan.FromDays(2));
        await Host.DrainAsync();

        var n = await OnlyNotification(p, runId);
        Assert.Equal("cancelled", (string?)n["status"]);
        Assert.Equal("user_deleted", (string?)n["status_reason"]);
        Assert.Empty(Deliveries(n));
        Assert.Equal("cancelled", (string?)(await RunView(p, runId))["status"]);
    }

    [Fact]
    public async Task Delete_CancelsAnOpenDigestWindowItCarries()
    {
        var p = await PublishAsync(await NewProjectAsync(), "digest", Steps(Trigger, Digest("collect", 1, 1, "hours"), InApp("summary", 2), End(3)));
        var first = await RunAsync(p, "digest", """{"recipients": ["jane"]}""");
        var second = await RunAsync(p, "digest", """{"recipients": ["jane"]}""");
        await Host.DrainAsync();

        (await Delete(p, "jane")).AssertStatus(204);
        Host.Time.Advance(TimeSpan.FromHours(2));
        await Host.DrainAsync();

        foreach (var run in new[] { first, second })
        {
            var n = await OnlyNotification(p, run);
            Assert.Equal("cancelled", (string?)n["status"]);
            Assert.Equal("user_deleted", (string?)n["status_reason"]);
            Assert.Empty(Deliveries(n));
        }
    }

    [Fact]
    public async Task Delete_FailsDeliveriesStillInFlight()
    {
        var p = await PublishAsync(await NewProjectAsync(), "hello", Steps(Trigger, InApp("inbox", 1), End(2)));
        var n = await RunOneAsync(p, "hello");
        // A provider delivery waiting for a retry (the sandbox answers at once, so put one in that state by hand).
        await Database.WriteAsync(s => s.ExecuteAsync(
            "UPDATE deliveries SET status = 'processing', sent_at = NULL WHERE notification_id = @id", new { id = Guid.Parse((string)n["id"]!) }, Ct), Ct);

        (await Delete(p, "u1")).AssertStatus(204);

        var d = Delivery(await Reload(p, n), "inbox");
        Assert.Equal("failed", (string?)d["status"]);
        Assert.Equal("user_deleted", (string?)d["error"]);
        Assert.Null(d["next_attempt_at"]?.GetValue<string>());
    }

    [Fact]
    public async Task Delete_RemovesSubscriptions_AndALaterUpsertCreatesANewUnrelatedUser()
    {
        var p = await PublishAsync(await NewProjectAsync(), "hello", Steps(Trigger, InApp("inbox", 1), End(2)));
        var old = (await Admin(p, HttpMethod.Put, "/admin/v1/users/jane", """{"first_name": "Jane", "custom_fields": {"a": 1}}""")).AssertStatus(201).Body;
        (await Admin(p, HttpMethod.Put, "/admin/v1/users/bob", "{}")).AssertStatus(201);
        foreach (var user in new[] { "jane", "bob" })
        {
            (await Admin(p, HttpMethod.Post, $"/admin/v1/users/{user}/subscriptions", """{"topic_name": "news"}""")).AssertStatus(201);
        }

        (await Delete(p, "jane")).AssertStatus(204);

        Assert.Equal(1, (int)(await Admin(p, HttpMethod.Get, "/admin/v1/topics/news")).AssertStatus(200).Body["subscriber_count"]!);
        var runId = await RunAsync(p, "hello", """{"topic": "news"}""");
        await Host.DrainAsync();
        Assert.Equal(["bob"], (await Notifications(p, runId)).Select(n => (string)n["recipient"]!["external_id"]!));

        var fresh = (await Admin(p, HttpMethod.Put, "/admin/v1/users/jane", "{}")).AssertStatus(201).Body;
        Assert.NotEqual((string?)old["id"], (string?)fresh["id"]);
        Assert.Null((string?)fresh["first_name"]);
        Assert.Equal("{}", fresh["custom_fields"]!.ToJsonString());
        var again = await RunAsync(p, "hello", """{"topic": "news"}""");
        await Host.DrainAsync();
        Assert.Equal(["bob"], (await Notifications(p, again)).Select(n => (string)n["recipient"]!["external_id"]!));
    }

    [Fact]
    public async Task Delete_ErasesChannelSettingsSubscriptionsAndPreferences()
    {
        var p = await NewProjectAsync();
        var channels = (await Admin(p, HttpMethod.Get, "/admin/v1/channels")).AssertStatus(200).Body["items"]!.AsArray();
        string ChannelOf(string type) => (string)channels.First(c => (string?)c!["type"] == type)!["id"]!;
        var (push, webPush) = (ChannelOf("mobile_push"), ChannelOf("web_push"));
        var oldId = (string)(await Admin(p, HttpMethod.Put, "/admin/v1/users/jane",
            "{\"channel_settings\": {\"" + push + "\": {\"device_tokens\": [\"tok\"]}}, \"preferences\": {\"channel_types\": {\"email\": false}}}"))
            .AssertStatus(201).Body["id"]!;
        (await Admin(p, HttpMethod.Post, $"/admin/v1/users/jane/channel-subscriptions/{webPush}", """
            {"identifier": "https://push.example.com/j", "settings": {"endpoint": "https://push.example.com/j", "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", "auth": "tBHItJI5svbpez7KI4CCXg"}}
            """)).AssertStatus(201);

        (await Delete(p, "jane")).AssertStatus(204);

        (await Admin(p, HttpMethod.Put, "/admin/v1/users/jane", "{}")).AssertStatus(201);
        (await Admin(p, HttpMethod.Get, $"/admin/v1/users/jane/channel-settings/{push}")).AssertError(404, "not_found");
        Assert.Empty((await Admin(p, HttpMethod.Get, $"/admin/v1/users/jane/channel-subscriptions/{webPush}")).AssertStatus(200).Body["items"]!.AsArray());
        Assert.True((bool)(await Admin(p, HttpMethod.Get, "/admin/v1/users/jane/preferences")).AssertStatus(200).Body["channel_types"]!["email"]!);
        // Nothing personal of the erased user is left behind, not even rows no endpoint shows any more.
        var left = await Database.ReadAsync(s => s.ScalarAsync<long>("""
            SELECT (SELECT COUNT(*) FROM channel_settings WHERE user_id = @id) + (SELECT COUNT(*) FROM channel_subscriptions WHERE user_id = @id)
                 + (SELECT COUNT(*) FROM user_preferences WHERE user_id = @id)
            """, new { id = Guid.Parse(oldId) }, Ct), Ct);
        Assert.Equal(0, left);
    }

    [Fact]
    public async Task Delete_BeforeTheRunStarts_TheNotificationEndsUserDeleted()
    {
        var p = await PublishAsync(await NewProjectAsync(), "hello", Steps(Trigger, InApp("inbox", 1), End(2)));
        var runId = await RunAsync(p, "hello", """{"recipients": ["jane", "bob"]}""");
        (await Delete(p, "jane")).AssertStatus(204);
        await Host.DrainAsync();

        var notifications = await Notifications(p, runId);
        var jane = notifications.Single(n => (bool?)n["recipient"]!["deleted"] == true);
        Assert.Equal("cancelled", (string?)jane["status"]);
        Assert.Equal("user_deleted", (string?)jane["status_reason"]);
        Assert.Empty(Deliveries(await Reload(p, jane)));
        Assert.Equal("completed", (string?)(await RunView(p, runId))["status"]);
    }
}

public sealed class SqliteUserDeleteTests(SqliteFixture fixture) : UserDeleteTests<SqliteFixture>(fixture);

public sealed class PostgresUserDeleteTests(PostgresFixture fixture) : UserDeleteTests<PostgresFixture>(fixture);
