using Notiflows.Server.Tests.Api.Management;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Engine;

/// <summary>The spec's seed flow end to end (§8.4.4 steps 4–5; issue 3 "done when").</summary>
public abstract class SeedRunTests<TFixture>(TFixture fixture) : EngineTests<TFixture>(fixture) where TFixture : HostFixture
{
    private const string RunBody = """{ "data": { "order_id": "ORD-12345" }, "recipients": [ { "email": "jane@example.com", "external_id": "user_12345" } ] }""";

    [Fact]
    public async Task SeedRun_DeliversEmailToSandbox_WaitsOneDay_ThenProcesses()
    {
        var project = await NewProjectAsync();
        (await Mgmt(HttpMethod.Put, $"{project.Base}/notiflows/welcome-series", SeedFlowTests<TFixture>.UpsertBody)).AssertStatus(201);
        (await Mgmt(HttpMethod.Put, $"{project.Base}/notiflows/welcome-series/steps/welcome_email/template", """
            {"channel_type": "email", "data": {"subject": "Welcome, {{ recipient.first_name | default: 'there' }}!",
             "body": "<p>Thanks for signing up. Your reference: {{ data.order_id }}.</p>", "content_type": "html"}}
            """)).AssertStatus(201);
        (await Mgmt(HttpMethod.Post, $"{project.Base}/notiflows/welcome-series/publish")).AssertStatus(200);

        var accepted = await Mgmt(HttpMethod.Post, $"{project.Base}/notiflows/welcome-series/run", RunBody);
        var runId = (string)accepted.AssertStatus(202).Body["notiflow_run_id"]!;
        Assert.Null(accepted.Header("Location"));
        await Host.DrainAsync();

        var n = await OnlyNotification(project, runId);
        Assert.Equal("processing", (string?)n["status"]);
        Assert.Null(n["status_reason"]);
        Assert.Equal("welcome-series", (string?)n["notiflow_handle"]);
        Assert.Equal("user_12345", (string?)n["recipient"]!["external_id"]);
        Assert.Equal("jane@example.com", (string?)n["recipient"]!["email"]);
        Assert.Equal("ORD-12345", (string?)n["data"]!["order_id"]);
        var delivery = Assert.Single(n["deliveries"]!.AsArray())!.AsObject();
        Assert.Equal("welcome_email", (string?)delivery["step_handle"]);
        Assert.Equal("email", (string?)delivery["channel_type"]);
        Assert.Equal("sandbox", (string?)delivery["provider"]);
        Assert.Equal("sent", (string?)delivery["status"]);
        Assert.Equal("jane@example.com", (string?)delivery["recipient_address"]);
        Assert.Equal($"sandbox_{(string?)delivery["id"]}", (string?)delivery["provider_message_id"]);
        Assert.Equal("Welcome, there!", (string?)delivery["data"]!["subject"]);
        Assert.Equal("<p>Thanks for signing up. Your reference: ORD-12345.</p>", (string?)delivery["data"]!["body"]);
        Assert.Equal("html", (string?)delivery["data"]!["content_type"]);
        var attempt = Assert.Single(delivery["attempts"]!.AsArray())!;
        Assert.Equal("success", (string?)attempt["outcome"]);
        Assert.Equal(1, (int)attempt["number"]!);
        var channels = (await Mgmt(HttpMethod.Get, $"{project.Base}/channels/email-sandbox")).AssertStatus(200).Body;
        Assert.Equal((string?)channels["id"], (string?)delivery["channel_id"]);
        Assert.Equal([("trigger", "executed"), ("welcome_email", "executed"), ("wait_1", "waiting")], Trail(n));
        var run = await RunView(project, runId);
        Assert.Equal("running", (string?)run["status"]);
        Assert.Equal("management_api", (string?)run["source"]);
        Assert.Equal("account_token", (string?)run["triggered_by"]!["type"]);
        Assert.Equal(1, (int)run["notification_counts"]!["processing"]!);

        // Nothing is due until a day has passed.
        Host.Time.Advance(TimeSpan.FromHours(23));
        await Host.DrainAsync();
        Assert.Equal("processing", (string?)(await Notification(project, (string)n["id"]!))["status"]);

        Host.Time.Advance(TimeSpan.FromHours(1));
        await Host.DrainAsync();
        var done = await Notification(project, (string)n["id"]!);
        Assert.Equal("processed", (string?)done["status"]);
        Assert.NotNull(done["processed_at"]);
        Assert.Equal([("trigger", "executed"), ("welcome_email", "executed"), ("wait_1", "executed"), ("end", "executed")], Trail(done));
        run = await RunView(project, runId);
        Assert.Equal("completed", (string?)run["status"]);
        Assert.Equal(1, (int)run["notification_counts"]!["processed"]!);
        Assert.Equal("completed", (string?)run["fan_out"]!["status"]);
        Assert.NotNull(run["completed_at"]);
    }

    [Fact]
    public async Task SeedRun_WithoutTemplate_SkipsTheEmailWithNoTemplate()
    {
        var project = await NewProjectAsync();
        (await Mgmt(HttpMethod.Put, $"{project.Base}/notiflows/welcome-series", SeedFlowTests<TFixture>.UpsertBody)).AssertStatus(201);
        (await Mgmt(HttpMethod.Post, $"{project.Base}/notiflows/welcome-series/publish")).AssertStatus(200);
        var runId = await RunAsync(project, "welcome-series", RunBody);
        await Host.DrainAsync();
        var n = await OnlyNotification(project, runId);
        var delivery = Assert.Single(n["deliveries"]!.AsArray())!;
        Assert.Equal("skipped", (string?)delivery["status"]);
        Assert.Equal("no_template", (string?)delivery["skip_reason"]);
        Assert.Empty(delivery["data"]!.AsObject());
        Assert.Empty(delivery["attempts"]!.AsArray());
        Assert.NotNull(delivery["channel_id"]);
        Assert.Contains(("welcome_email", "skipped"), Trail(n));
        Assert.Equal("no_template", (string?)n["step_executions"]![1]!["reason"]);
    }
}

public sealed class SqliteSeedRunTests(SqliteFixture fixture) : SeedRunTests<SqliteFixture>(fixture);

public sealed class PostgresSeedRunTests(PostgresFixture fixture) : SeedRunTests<PostgresFixture>(fixture);
