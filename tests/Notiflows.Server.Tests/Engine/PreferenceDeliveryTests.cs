using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Engine;

/// <summary>
/// The engine obeys preferences (§12.4) at their place in a channel step (§12.3: gate, template, channel, preferences,
/// addressing), as the Admin API shows the deliveries and step executions.
/// </summary>
public abstract class PreferenceDeliveryTests<TFixture>(TFixture fixture) : EngineTests<TFixture>(fixture) where TFixture : HostFixture
{
    private const string AllTypesOff =
        """{"email": false, "sms": false, "in_app": false, "mobile_push": false, "web_push": false, "chat": false}""";

    /// <summary>A channel step of <paramref name="type"/> with a template that passes publish; <paramref name="extra"/> ends with a comma.</summary>
    private static string Channel(string handle, string type, int position, string extra = "")
    {
        var data = type switch
        {
            "email" => """{"subject": "Hi", "body": "Hello"}""",
            "webhook" => """{"url": "https://hooks.example.com/x"}""",
            _ => """{"body": "Hello"}""",
        };
        return Step(handle, "channel", position, $"{extra} \"channel_type\": \"{type}\", \"template\": {{\"data\": {data}}}");
    }

    private static string Flow(params string[] types) =>
        Steps([Trigger, .. types.Select((t, i) => Channel(t, t, i + 1)), End(types.Length + 1)]);

    /// <summary>Creates the user with these preferences (the user upsert's <c>preferences</c>).</summary>
    private async Task PreferAsync(TestProject p, string preferences, string user = "u1") =>
        (await Admin(p, HttpMethod.Put, $"/admin/v1/users/{user}", $$"""{"preferences": {{preferences}}}""")).AssertStatus(201);

    private static void AssertSkipped(JsonObject n, string step, string reason)
    {
        var d = Delivery(n, step);
        Assert.Equal(("skipped", reason), ((string?)d["status"], (string?)d["skip_reason"]));
        Assert.Empty(d["attempts"]!.AsArray());
        Assert.Empty(d["data"]!.AsObject());
        Assert.Null(d["recipient_address"]);
        Assert.NotNull(d["channel_id"]);
        Assert.Equal(("skipped", reason), ((string?)StepExecution(n, step)["outcome"], (string?)StepExecution(n, step)["reason"]));
    }

    private static void AssertSent(JsonObject n, params string[] steps)
    {
        foreach (var step in steps)
        {
            var d = Delivery(n, step);
            Assert.Equal(("sent", null), ((string?)d["status"], (string?)d["skip_reason"]));
            Assert.Single(d["attempts"]!.AsArray());
            Assert.Equal("executed", (string?)StepExecution(n, step)["outcome"]);
        }
    }

    [Fact]
    public async Task ChannelTypeOff_SkipsThatTypeOptedOut_NothingSent_OtherTypesSent()
    {
        var p = await PublishAsync(await NewProjectAsync(), "flow", Flow("email", "sms", "in_app"));
        await PreferAsync(p, """{"channel_types": {"email": false, "in_app": false}}""");

        var n = await RunOneAsync(p, "flow");

        AssertSkipped(n, "email", "opted_out");
        AssertSkipped(n, "in_app", "opted_out");
        AssertSent(n, "sms");
        Assert.Equal("processed", (string?)n["status"]);
        Assert.Equal(["trigger", "sms", "end"], Executed(n));
    }

    [Fact]
    public async Task NotiflowDisabled_OptsOutEveryChannelStepIncludingWebhook_OnlyForThatNotiflow()
    {
        var p = await PublishAsync(await NewProjectAsync(), "flow", Flow("in_app", "email", "sms", "chat", "webhook"));
        await PublishAsync(p, "other", Flow("in_app", "webhook"));
        await PreferAsync(p, """{"notiflows": {"flow": {"enabled": false}}}""");

        var n = await RunOneAsync(p, "flow");
        var other = await RunOneAsync(p, "other");

        foreach (var step in new[] { "in_app", "email", "sms", "chat", "webhook" })
        {
            AssertSkipped(n, step, "opted_out");
        }
        AssertSent(other, "in_app", "webhook");
    }

    [Fact]
    public async Task NotiflowOverride_BeatsTheGeneralSetting_BothWays()
    {
        var p = await PublishAsync(await NewProjectAsync(), "flow", Flow("email", "sms", "in_app"));
        await PublishAsync(p, "other", Flow("email", "sms"));
        await PreferAsync(p, """
            {"channel_types": {"sms": false, "in_app": false}, "notiflows": {"flow": {"channel_types": {"sms": true, "email": false}}}}
            """);

        var n = await RunOneAsync(p, "flow");
        var other = await RunOneAsync(p, "other");

        AssertSkipped(n, "email", "opted_out"); // override false beats the general default true
        AssertSent(n, "sms"); // override true beats the general false
        AssertSkipped(n, "in_app", "opted_out"); // no override: the general setting
        AssertSent(other, "email");
        AssertSkipped(other, "sms", "opted_out");
    }

    [Fact]
    public async Task NotiflowLeftOutOfPreferences_IgnoresThemAll()
    {
        var p = await PublishAsync(await NewProjectAsync(), "flow", Flow("in_app", "email", "sms", "webhook"));
        await PreferAsync(p, "{\"channel_types\": " + AllTypesOff + ", \"notiflows\": {\"flow\": {\"enabled\": false, \"channel_types\": " + AllTypesOff + "}}}");
        (await Mgmt(HttpMethod.Put, $"{p.Base}/notiflows/flow", """{"include_in_preferences": false}""")).AssertStatus(200);

        var n = await RunOneAsync(p, "flow");

        AssertSent(n, "in_app", "email", "sms", "webhook");
        Assert.Empty((await Admin(p, HttpMethod.Get, "/admin/v1/users/u1/preferences")).AssertStatus(200).Body["notiflows"]!.AsObject());
    }

    [Fact]
    public async Task Webhook_IsNotBlockedByChannelTypes()
    {
        var p = await PublishAsync(await NewProjectAsync(), "flow", Flow("webhook", "in_app"));
        await PreferAsync(p, "{\"channel_types\": " + AllTypesOff + ", \"notiflows\": {\"flow\": {\"channel_types\": " + AllTypesOff + "}}}");

        var n = await RunOneAsync(p, "flow");

        AssertSent(n, "webhook");
        Assert.Equal("https://hooks.example.com/x", (string?)Delivery(n, "webhook")["recipient_address"]);
        AssertSkipped(n, "in_app", "opted_out");
    }

    [Fact]
    public async Task FailingGate_IsReportedBeforePreferences()
    {
        var p = await PublishAsync(await NewProjectAsync(), "flow", Steps(Trigger,
            Channel("gated", "email", 1, Gate(When("data.go", "equal_to", "true")) + ","), End(2)));
        await PreferAsync(p, """{"channel_types": {"email": false}}""");

        AssertSkipped(await RunOneAsync(p, "flow", """{"go": false}"""), "gated", "gate_conditions");
        AssertSkipped(await RunOneAsync(p, "flow", """{"go": true}"""), "gated", "opted_out");
    }

    [Fact]
    public async Task MissingTemplate_IsReportedBeforePreferences()
    {
        var p = await PublishAsync(await NewProjectAsync(), "flow", Steps(Trigger,
            Step("bare", "channel", 1, "\"channel_type\": \"email\""), Channel("email", "email", 2), End(3)));
        await PreferAsync(p, """{"channel_types": {"email": false}}""");

        var n = await RunOneAsync(p, "flow");

        AssertSkipped(n, "bare", "no_template");
        AssertSkipped(n, "email", "opted_out");
    }

    [Fact]
    public async Task Preferences_AreCheckedBeforeAddressing()
    {
        var p = await PublishAsync(await NewProjectAsync(), "flow", Flow("email", "sms", "chat"));
        await PreferAsync(p, """{"channel_types": {"email": false, "chat": false}}""", "nobody");
        (await Admin(p, HttpMethod.Put, "/admin/v1/users/plain", "{}")).AssertStatus(201);

        var optedOut = await RunOneAsync(p, "flow", recipient: "\"nobody\"");
        var plain = await RunOneAsync(p, "flow", recipient: "\"plain\"");

        AssertSkipped(optedOut, "email", "opted_out");
        AssertSkipped(optedOut, "sms", "no_address"); // allowed, and no phone
        AssertSkipped(optedOut, "chat", "opted_out");
        AssertSkipped(plain, "email", "no_address");
        AssertSkipped(plain, "sms", "no_address");
        AssertSkipped(plain, "chat", "no_channel_settings");
    }
}

public sealed class SqlitePreferenceDeliveryTests(SqliteFixture fixture) : PreferenceDeliveryTests<SqliteFixture>(fixture);

public sealed class PostgresPreferenceDeliveryTests(PostgresFixture fixture) : PreferenceDeliveryTests<PostgresFixture>(fixture);
