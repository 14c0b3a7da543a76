using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Notiflows.Server.Tests.Infrastructure;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Tests.Engine;

/// <summary>Helpers for engine tests: define, publish and run notiflows in a project of the test's own.</summary>
public abstract class EngineTests<TFixture>(TFixture fixture) : ApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    protected async Task<TestProject> PublishAsync(TestProject project, string handle, string stepsJson, string extra = "")
    {
        (await Mgmt(HttpMethod.Put, $"{project.Base}/notiflows/{handle}", $$"""{"name": "{{handle}}", {{extra}} "steps": {{stepsJson}}}"""))
            .AssertStatus(201);
        (await Mgmt(HttpMethod.Post, $"{project.Base}/notiflows/{handle}/publish")).AssertStatus(200);
        return project;
    }

    /// <summary>Upserts new steps for an existing notiflow and publishes them (a new version).</summary>
    protected async Task RepublishAsync(TestProject project, string handle, string stepsJson)
    {
        (await Mgmt(HttpMethod.Put, $"{project.Base}/notiflows/{handle}", $$"""{"steps": {{stepsJson}}}""")).AssertStatus(200);
        (await Mgmt(HttpMethod.Post, $"{project.Base}/notiflows/{handle}/publish")).AssertStatus(200);
    }

    protected async Task<string> RunAsync(TestProject project, string handle, string body)
    {
        var response = await SendAsync(Host.Admin(project.PublicKey, project.SecretKey), HttpMethod.Post, $"/admin/v1/notiflows/{handle}/run", body);
        return (string)response.AssertStatus(202).Body["notiflow_run_id"]!;
    }

    /// <summary>Runs the notiflow for one recipient, drains the queue and returns the notification in full.</summary>
    protected async Task<JsonObject> RunOneAsync(TestProject project, string handle, string data = "{}", string recipient = DefaultRecipient,
        string? actor = null)
    {
        var runId = await RunAsync(project, handle,
            $$"""{"recipients": [{{recipient}}], "data": {{data}}{{(actor is null ? "" : ", \"actor\": " + actor)}}}""");
        await Host.DrainAsync();
        return await OnlyNotification(project, runId);
    }

    protected const string DefaultRecipient =
        """{"external_id": "u1", "email": "jane@acme.com", "phone": "+15551234567", "first_name": "Jane", "custom_fields": {"plan": "pro"}}""";

    protected Task<ApiResponse> Admin(TestProject project, HttpMethod method, string path, string? body = null,
        IReadOnlyDictionary<string, string>? headers = null) =>
        SendAsync(Host.Admin(project.PublicKey, project.SecretKey), method, path, body, headers);

    protected async Task<JsonObject> RunView(TestProject project, string runId) =>
        (await Admin(project, HttpMethod.Get, $"/admin/v1/runs/{runId}")).AssertStatus(200).Body;

    protected async Task<List<JsonObject>> Notifications(TestProject project, string runId)
    {
        var items = (await Admin(project, HttpMethod.Get, $"/admin/v1/runs/{runId}/notifications?limit=1000")).AssertStatus(200).Body["items"]!;
        return items.AsArray().Select(n => n!.AsObject()).ToList();
    }

    protected async Task<JsonObject> Notification(TestProject project, string id) =>
        (await Admin(project, HttpMethod.Get, $"/admin/v1/notifications/{id}")).AssertStatus(200).Body;

    /// <summary>The notification again, as it is now.</summary>
    protected Task<JsonObject> Reload(TestProject project, JsonObject notification) => Notification(project, (string)notification["id"]!);

    /// <summary>The single notification of a one-recipient run, in full.</summary>
    protected async Task<JsonObject> OnlyNotification(TestProject project, string runId) =>
        await Notification(project, (string)Assert.Single(await Notifications(project, runId))["id"]!);

    protected static List<(string Step, string Outcome)> Trail(JsonObject notification) =>
        notification["step_executions"]!.AsArray().Select(e => ((string)e!["step_handle"]!, (string)e["outcome"]!)).ToList();

    /// <summary>The handles of the executed steps, in execution order.</summary>
    protected static List<string> Executed(JsonObject notification) =>
        Trail(notification).Where(t => t.Outcome == "executed").Select(t => t.Step).ToList();

    protected static JsonObject StepExecution(JsonObject notification, string handle) =>
        notification["step_executions"]!.AsArray().Single(e => (string?)e!["step_handle"] == handle)!.AsObject();

    protected static List<JsonObject> Deliveries(JsonObject notification) =>
        notification["deliveries"]!.AsArray().Select(d => d!.AsObject()).ToList();

    protected static JsonObject Delivery(JsonObject notification, string step) =>
        Deliveries(notification).Single(d => (string?)d["step_handle"] == step);

    /// <summary>Step handles of the notification's deliveries, oldest first.</summary>
    protected static List<string> DeliveredSteps(JsonObject notification) =>
        Deliveries(notification).Select(d => (string)d["step_handle"]!).ToList();

    protected Db Database => Host.Services.GetRequiredService<Db>();

    protected static string Steps(params string[] steps) => "[" + string.Join(", ", steps) + "]";

    protected const string Trigger = """{"handle": "trigger", "type": "trigger", "position": 0}""";

    protected static string End(int position) => $$"""{"handle": "end", "type": "end", "position": {{position}}}""";

    /// <summary><c>"parent_step_handle": …, "branch_handle": …,</c> — the placement of a branch child (ends with a comma).</summary>
    protected static string In(string condition, string branch) =>
        $"\"parent_step_handle\": \"{condition}\", \"branch_handle\": \"{branch}\",";

    /// <summary>An in-app channel step; <paramref name="extra"/> is inserted before the template and must end with a comma.</summary>
    protected static string InApp(string handle, int position, string body = "Hello {{ recipient.first_name }}", string extra = "") =>
        "{\"handle\": \"" + handle + "\", \"type\": \"channel\", \"channel_type\": \"in_app\", \"position\": " + position + ", " + extra
        + " \"template\": {\"data\": {\"body\": " + JsonValue.Create(body).ToJsonString() + "}}}";

    /// <summary>Any step; <paramref name="extra"/> are further JSON members (no trailing comma).</summary>
    protected static string Step(string handle, string type, int position, string extra = "") =>
        $$"""{"handle": "{{handle}}", "type": "{{type}}", "position": {{position}}{{(extra.Length > 0 ? ", " + extra : "")}}}""";

    protected static string Wait(string handle, int position, int duration, string unit = "days", string extra = "") =>
        Step(handle, "wait", position, $$"""{{Prefix(extra)}}"settings": {"duration": {{duration}}, "duration_unit": "{{unit}}"}""");

    protected static string Digest(string handle, int position, int duration, string unit, string? key = null, string extra = "") =>
        Step(handle, "digest", position,
            $$"""{{Prefix(extra)}}"settings": {"duration": {{duration}}, "duration_unit": "{{unit}}", "digest_key": {{Str(key)}}}""");

    protected static string Throttle(string handle, int position, int duration, string unit, string? key = null, string extra = "") =>
        Step(handle, "throttle", position,
            $$"""{{Prefix(extra)}}"settings": {"duration": {{duration}}, "duration_unit": "{{unit}}", "throttle_key": {{Str(key)}}}""");

    protected static string Condition(string handle, int position, string extra, params string[] branches) =>
        Step(handle, "condition", position, $$"""{{Prefix(extra)}}"settings": {"branches": [{{string.Join(", ", branches)}}]}""");

    /// <summary>A branch; <paramref name="conditions"/> null makes it the default branch.</summary>
    protected static string Branch(string handle, string? conditions, bool finish = false) =>
        $$"""{"handle": "{{handle}}", "finish": {{(finish ? "true" : "false")}}, "conditions": {{conditions ?? "[]"}}}""";

    /// <summary>A conditions array of one group holding one condition.</summary>
    protected static string When(string property, string op, string value = "null", string valueType = "static") =>
        $$"""[{"operator": "and", "conditions": [{"property": "{{property}}", "operator": "{{op}}", "value": {{value}}, "value_type": "{{valueType}}"}]}]""";

    protected static string Gate(string conditions) => $"\"conditions\": {conditions}";

    private static string Prefix(string extra) => extra.Length == 0 ? "" : extra.TrimEnd().TrimEnd(',') + ", ";

    private static string Str(string? s) => s is null ? "null" : JsonValue.Create(s).ToJsonString();
}
