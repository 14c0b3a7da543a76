using System.Globalization;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Engine;

/// <summary>Channel steps (§12.3): channel resolution, addressing, rendering (§11.4) and sandbox outcomes (§14.2).</summary>
public abstract class ChannelStepTests<TFixture>(TFixture fixture) : EngineTests<TFixture>(fixture) where TFixture : HostFixture
{
    private static string Email(string handle, int position, string? channel = null) => """
        {"handle": "HANDLE", "type": "channel", "channel_type": "email", "position": POSITION, "channel_handle": CHANNEL,
         "template": {"data": {"subject": "Hi {{ recipient.first_name }}", "body": "<p>{{ data.x }}</p>", "content_type": "html"}}}
        """.Replace("HANDLE", handle, StringComparison.Ordinal).Replace("POSITION", position.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("CHANNEL", channel is null ? "null" : $"\"{channel}\"", StringComparison.Ordinal);

    private static string Sms(string handle, int position) =>
        """{"handle": "HANDLE", "type": "channel", "channel_type": "sms", "position": POSITION, "template": {"data": {"body": "Code {{ data.x }}"}}}"""
            .Replace("HANDLE", handle, StringComparison.Ordinal).Replace("POSITION", position.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);

    private async Task<string> ChannelId(TestProject project, string handle) =>
        (string)(await Mgmt(HttpMethod.Get, $"{project.Base}/channels/{handle}")).AssertStatus(200).Body["id"]!;

    [Fact]
    public async Task Channel_HandleWinsOverTheProjectDefault()
    {
        var project = await NewProjectAsync();
        (await Mgmt(HttpMethod.Put, $"{project.Base}/channels/email-two",
            """{"name": "Second", "type": "email", "provider": "sandbox", "config": {"outcome": "delivered"}}""")).AssertStatus(201);
        await PublishAsync(project, "mail", Steps(Trigger, Email("by_default", 1), Email("by_handle", 2, "email-two"), End(3)));
        var n = await RunOneAsync(project, "mail", """{"x": "42"}""");
        var byDefault = Delivery(n, "by_default");
        Assert.Equal(await ChannelId(project, "email-sandbox"), (string?)byDefault["channel_id"]);
        Assert.Equal("sent", (string?)byDefault["status"]);
        Assert.Equal("jane@acme.com", (string?)byDefault["recipient_address"]);
        Assert.Equal("Hi Jane", (string?)byDefault["data"]!["subject"]);
        Assert.Equal("<p>42</p>", (string?)byDefault["data"]!["body"]);
        var byHandle = Delivery(n, "by_handle");
        Assert.Equal(await ChannelId(project, "email-two"), (string?)byHandle["channel_id"]);
        Assert.Equal("sandbox", (string?)byHandle["provider"]);
        Assert.Equal("delivered", (string?)byHandle["status"]);
        Assert.NotNull(byHandle["sent_at"]);
        Assert.NotNull(byHandle["delivered_at"]);
    }

    [Theory]
    [InlineData("delivered", "delivered", false)]
    [InlineData("bounced", "bounced", true)]
    [InlineData("fail_permanent", "failed", true)]
    [InlineData("sent", "sent", false)]
    public async Task Sandbox_ConfiguredOutcome_IsTheDeliveryStatus(string outcome, string status, bool hasError)
    {
        var project = await NewProjectAsync();
        (await Mgmt(HttpMethod.Put, $"{project.Base}/channels/email-sandbox", "{\"config\": {\"outcome\": \"" + outcome + "\"}}")).AssertStatus(200);
        await PublishAsync(project, "mail", Steps(Trigger, Email("mail", 1), InApp("next", 2), End(3)));
        var n = await RunOneAsync(project, "mail");
        var d = Delivery(n, "mail");
        Assert.Equal(status, (string?)d["status"]);
        Assert.Equal(hasError, d["error"] is not null);
        var attempt = Assert.Single(d["attempts"]!.AsArray())!;
        Assert.Equal(status == "failed" ? "permanent_error" : "success", (string?)attempt["outcome"]);
        Assert.Equal("processed", (string?)n["status"]);
        Assert.Equal("sent", (string?)Delivery(n, "next")["status"]);
    }

    [Fact]
    public async Task Addressing_EmailWithoutEmailAndSmsWithoutPhone_AreSkippedNoAddress()
    {
        var project = await PublishAsync(await NewProjectAsync(), "addr", Steps(Trigger, Email("mail", 1), Sms("text", 2), End(3)));
        var n = await RunOneAsync(project, "addr", recipient: """{"external_id": "nobody"}""");
        foreach (var step in new[] { "mail", "text" })
        {
            var d = Delivery(n, step);
            Assert.Equal("skipped", (string?)d["status"]);
            Assert.Equal("no_address", (string?)d["skip_reason"]);
            Assert.Null(d["recipient_address"]);
            Assert.NotNull(d["channel_id"]);
            Assert.Equal("no_address", (string?)StepExecution(n, step)["reason"]);
        }
        var reached = await RunOneAsync(project, "addr");
        Assert.Equal("+15551234567", (string?)Delivery(reached, "text")["recipient_address"]);
        Assert.Equal("Code ", (string?)Delivery(reached, "text")["data"]!["body"]);
    }

    [Fact]
    public async Task InApp_RenderedData_HasTheFullShape()
    {
        var project = await PublishAsync(await NewProjectAsync(), "inbox", Steps(Trigger, """
            {"handle": "inbox", "type": "channel", "channel_type": "in_app", "position": 1, "template": {"data": {
              "title": "Order {{ data.order }}", "body": "**{{ recipient.first_name }}**, shipped {{ data.total | money }}",
              "action_url": "https://app.example.com/o/{{ data.order }}", "action_type": "multi",
              "primary_action": {"label": "Track", "url": "https://t.example.com/{{ data.order }}"},
              "secondary_action": {"label": "Help", "url": "https://help.example.com"}}}}
            """, InApp("plain", 2, "Just {{ notiflow.handle }} via {{ channel.handle }}"), End(3)));
        var n = await RunOneAsync(project, "inbox", """{"order": "A1", "total": 1234.5}""");
        var data = Delivery(n, "inbox")["data"]!.AsObject();
        Assert.Equal(["action_type", "action_url", "body", "primary_action", "secondary_action", "title"],
            data.Select(p => p.Key).Order(StringComparer.Ordinal).ToList());
        Assert.Equal("Order A1", (string?)data["title"]);
        Assert.Equal("**Jane**, shipped $1,234.50", (string?)data["body"]);
        Assert.Equal("https://app.example.com/o/A1", (string?)data["action_url"]);
        Assert.Equal("multi", (string?)data["action_type"]);
        Assert.Equal("Track", (string?)data["primary_action"]!["label"]);
        Assert.Equal("https://t.example.com/A1", (string?)data["primary_action"]!["url"]);
        Assert.Equal("https://help.example.com", (string?)data["secondary_action"]!["url"]);
        var inbox = Delivery(n, "inbox");
        Assert.Equal("in_app", (string?)inbox["provider"]);
        Assert.Equal("sent", (string?)inbox["status"]);
        Assert.Null(inbox["recipient_address"]);
        Assert.NotNull(inbox["sent_at"]);

        var plain = Delivery(n, "plain")["data"]!.AsObject();
        Assert.Equal(6, plain.Count);
        Assert.Equal("Just inbox via in-app", (string?)plain["body"]);
        Assert.Null(plain["title"]);
        Assert.Null(plain["action_url"]);
        Assert.Equal("default", (string?)plain["action_type"]);
        Assert.Null(plain["primary_action"]);
        Assert.Null(plain["secondary_action"]);
    }

    [Fact]
    public async Task RenderError_FailsThatDelivery_ExecutionContinues()
    {
        var project = await PublishAsync(await NewProjectAsync(), "broken", Steps(Trigger,
            InApp("divide", 1, "{{ 1 | divided_by: data.zero }}"),
            """
            {"handle": "hook", "type": "channel", "channel_type": "webhook", "position": 2,
             "template": {"data": {"url": "https://hooks.example.com/x", "content_type": "json", "body": "{\"a\": {{ data.text }}}"}}}
            """,
            InApp("fine", 3),
            End(4)));
        var n = await RunOneAsync(project, "broken", """{"zero": 0, "text": "not json"}""");
        Assert.Equal("processed", (string?)n["status"]);
        foreach (var step in new[] { "divide", "hook" })
        {
            var d = Delivery(n, step);
            Assert.Equal("failed", (string?)d["status"]);
            Assert.False(string.IsNullOrEmpty((string?)d["error"]));
            Assert.Empty(d["attempts"]!.AsArray());
            Assert.NotNull(d["channel_id"]);
        }
        Assert.Equal("sent", (string?)Delivery(n, "fine")["status"]);
        Assert.Equal(["trigger", "divide", "hook", "fine", "end"], Executed(n));
    }

    [Fact]
    public async Task Webhook_Sandbox_RecipientAddressIsTheRenderedTemplateUrl()
    {
        var project = await PublishAsync(await NewProjectAsync(), "hooked", Steps(Trigger, """
            {"handle": "hook", "type": "channel", "channel_type": "webhook", "position": 1,
             "template": {"data": {"url": "https://hooks.example.com/{{ data.id }}", "method": "PUT", "headers": {"x-id": "{{ data.id }}"}}}}
            """, End(2)));
        var n = await RunOneAsync(project, "hooked", """{"id": "abc"}""");
        var d = Delivery(n, "hook");
        Assert.Equal("sent", (string?)d["status"]);
        Assert.Equal("https://hooks.example.com/abc", (string?)d["recipient_address"]);
        Assert.Equal("https://hooks.example.com/abc", (string?)d["data"]!["url"]);
        Assert.Equal("PUT", (string?)d["data"]!["method"]);
        Assert.Equal("abc", (string?)d["data"]!["headers"]!["x-id"]);
        Assert.Equal("abc", (string?)d["data"]!["body"]!["data"]!["id"]);
        Assert.Equal($"sandbox_{(string?)d["id"]}", (string?)d["provider_message_id"]);
    }

    [Fact]
    public async Task ChannelDeletedAfterPublish_FailsTheDeliveryWithNoChannelConfigured()
    {
        // The delete guard protects channels that published versions need, so: v1 (waits, then emails) is pinned by a
        // waiting notification; v2 without email is published (v1 is archived), the only email channel is deleted, and
        // the waiting notification reaches v1's email step with no channel left.
        var project = await PublishAsync(await NewProjectAsync(), "late-mail", Steps(Trigger, Wait("pause", 1, 1), Email("mail", 2), End(3)));
        var n = await RunOneAsync(project, "late-mail");
        await RepublishAsync(project, "late-mail", Steps(Trigger, InApp("inbox", 1), End(2)));
        (await Mgmt(HttpMethod.Delete, $"{project.Base}/channels/email-sandbox")).AssertStatus(204);
        Host.Time.Advance(TimeSpan.FromDays(1));
        await Host.DrainAsync();
        var done = await Reload(project, n);
        Assert.Equal("processed", (string?)done["status"]);
        var d = Delivery(done, "mail");
        Assert.Equal("failed", (string?)d["status"]);
        Assert.Null(d["channel_id"]);
        Assert.Null(d["provider"]);
        Assert.Equal("no channel configured", (string?)d["error"]);
        Assert.Null(d["skip_reason"]);
        Assert.Equal(["trigger", "pause", "mail", "end"], Executed(done));
    }
}

public sealed class SqliteChannelStepTests(SqliteFixture fixture) : ChannelStepTests<SqliteFixture>(fixture);

public sealed class PostgresChannelStepTests(PostgresFixture fixture) : ChannelStepTests<PostgresFixture>(fixture);
