using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Api.Admin.ChannelSettings;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Engine;

/// <summary>
/// Addressing by channel settings (§12.3 step 5, §14.3): mobile push needs settings with device tokens, chat needs
/// settings, web push needs a channel subscription; without them the delivery is skipped <c>no_channel_settings</c>.
/// </summary>
public abstract class ChannelSettingsDeliveryTests<TFixture>(TFixture fixture) : ChannelSettingsTestBase<TFixture>(fixture) where TFixture : HostFixture
{
    private static readonly string[] StepHandles = ["push", "chat", "web"];

    private static string Channel(string handle, string type, int position, string data, string? channel = null) =>
        Step(handle, "channel", position,
            $$"""{{(channel is null ? "" : $"\"channel_handle\": \"{channel}\", ")}}"channel_type": "{{type}}", "template": {"data": {{data}} }""");

    private static string Steps3(string? push = null, string? chat = null, string? web = null) => Steps(Trigger,
        Channel("push", "mobile_push", 1, """{"title": "Hi", "body": "Push {{ recipient.external_id }}"}""", push),
        Channel("chat", "chat", 2, """{"body": "Chat {{ recipient.external_id }}"}""", chat),
        Channel("web", "web_push", 3, """{"title": "Hi", "body": "Web {{ recipient.external_id }}"}""", web),
        End(4));

    private async Task<JsonObject> RunForU1Async(TestProject p, string handle)
    {
        var runId = await RunAsync(p, handle, """{"recipients": ["u1"]}""");
        await Host.DrainAsync();
        return await OnlyNotification(p, runId);
    }

    private static void AssertSkipped(JsonObject n, params string[] steps)
    {
        foreach (var step in steps)
        {
            var d = Delivery(n, step);
            Assert.Equal(("skipped", "no_channel_settings"), ((string?)d["status"], (string?)d["skip_reason"]));
            Assert.NotNull(d["channel_id"]);
            Assert.Empty(d["attempts"]!.AsArray());
            Assert.Null(d["sent_at"]);
            Assert.Equal("no_channel_settings", (string?)StepExecution(n, step)["reason"]);
        }
    }

    private static void AssertSent(JsonObject n, params string[] steps)
    {
        foreach (var step in steps)
        {
            var d = Delivery(n, step);
            Assert.True((string?)d["status"] == "sent", d.ToJsonString());
            Assert.Null(d["skip_reason"]);
            // One attempt per target (§12.9): each device token or subscription of a push delivery, else one.
            var attempts = d["attempts"]!.AsArray();
            Assert.NotEmpty(attempts);
            Assert.All(attempts, a => Assert.Equal("success", (string?)a!["outcome"]));
            Assert.NotNull(d["sent_at"]);
        }
    }

    private async Task ConfigureAsync(TestProject p, string push, string chat, string webPush)
    {
        (await PutSettings(p, "u1", push, """{"device_tokens": ["token-1", "token-2"]}""")).AssertStatus(201);
        (await PutSettings(p, "u1", chat, """{"room": "general"}""")).AssertStatus(201);
        (await Subscribe(p, "u1", webPush, Subscription("browser-1"))).AssertStatus(201);
    }

    private async Task RemoveAsync(TestProject p, string push, string chat, string webPush)
    {
        (await Admin(p, HttpMethod.Delete, SettingsPath("u1", await ChannelIdAsync(p, push)))).AssertStatus(204);
        (await Admin(p, HttpMethod.Delete, SettingsPath("u1", await ChannelIdAsync(p, chat)))).AssertStatus(204);
        (await Admin(p, HttpMethod.Delete, SubscriptionsPath("u1", await ChannelIdAsync(p, webPush)), """{"identifier": "browser-1"}""")).AssertStatus(204);
    }

    [Fact]
    public async Task WithoutSettings_Skipped_WithSettings_Sent_SettingsRemoved_SkippedAgain()
    {
        var p = await PublishAsync(await ProjectWithUsersAsync("u1"), "reach", Steps3());

        var before = await RunForU1Async(p, "reach");
        await ConfigureAsync(p, Push, Chat, WebPush);
        var configured = await RunForU1Async(p, "reach");
        await RemoveAsync(p, Push, Chat, WebPush);
        var removed = await RunForU1Async(p, "reach");

        AssertSkipped(before, StepHandles);
        Assert.Equal("processed", (string?)before["status"]);
        AssertSent(configured, StepHandles);
        Assert.Equal("Push u1", (string?)Delivery(configured, "push")["data"]!["body"]);
        Assert.Equal("Chat u1", (string?)Delivery(configured, "chat")["data"]!["body"]);
        Assert.Equal("Web u1", (string?)Delivery(configured, "web")["data"]!["body"]);
        AssertSkipped(removed, StepHandles);
    }

    [Fact]
    public async Task SettingsCountOnlyForTheChannelTheStepUses()
    {
        var p = await ProjectWithUsersAsync("u1");
        foreach (var handle in new[] { "push-two", "chat-two", "web-push-two" })
        {
            await ChannelIdAsync(p, handle);
        }
        await PublishAsync(p, "routed", Steps3("push-two", "chat-two", "web-push-two"));
        await ConfigureAsync(p, Push, Chat, WebPush);

        var onDefaults = await RunForU1Async(p, "routed");
        await ConfigureAsync(p, "push-two", "chat-two", "web-push-two");
        var onTargets = await RunForU1Async(p, "routed");

        AssertSkipped(onDefaults, StepHandles);
        Assert.Equal(await ChannelIdAsync(p, "push-two"), (string?)Delivery(onDefaults, "push")["channel_id"]);
        AssertSent(onTargets, StepHandles);
        Assert.Equal(await ChannelIdAsync(p, "web-push-two"), (string?)Delivery(onTargets, "web")["channel_id"]);
    }

    [Fact]
    public async Task SettingsGivenOnTheUserUpsert_ReachTheUser()
    {
        var p = await PublishAsync(await NewProjectAsync(), "reach", Steps3());
        (await Admin(p, HttpMethod.Put, "/admin/v1/users/u1",
            $$"""{"channel_settings": {"{{Push}}": {"device_tokens": ["t"]}, "{{await ChannelIdAsync(p, Chat)}}": {"room": "x"} } }"""))
            .AssertStatus(201);

        var n = await RunForU1Async(p, "reach");

        AssertSent(n, "push", "chat");
        AssertSkipped(n, "web");
    }
}

public sealed class SqliteChannelSettingsDeliveryTests(SqliteFixture fixture) : ChannelSettingsDeliveryTests<SqliteFixture>(fixture);

public sealed class PostgresChannelSettingsDeliveryTests(PostgresFixture fixture) : ChannelSettingsDeliveryTests<PostgresFixture>(fixture);
