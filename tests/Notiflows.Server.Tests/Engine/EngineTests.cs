using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

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

    protected async Task<string> RunAsync(TestProject project, string handle, string body)
    {
        var response = await SendAsync(Host.Admin(project.PublicKey, project.SecretKey), HttpMethod.Post, $"/admin/v1/notiflows/{handle}/run", body);
        return (string)response.AssertStatus(202).Body["notiflow_run_id"]!;
    }

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

    /// <summary>The single notification of a one-recipient run, in full.</summary>
    protected async Task<JsonObject> OnlyNotification(TestProject project, string runId) =>
        await Notification(project, (string)Assert.Single(await Notifications(project, runId))["id"]!);

    protected static List<(string Step, string Outcome)> Trail(JsonObject notification) =>
        notification["step_executions"]!.AsArray().Select(e => ((string)e!["step_handle"]!, (string)e["outcome"]!)).ToList();

    protected const string Trigger = """{"handle": "trigger", "type": "trigger", "position": 0}""";

    protected static string End(int position) => $$"""{"handle": "end", "type": "end", "position": {{position}}}""";

    protected static string InApp(string handle, int position, string body = "Hello {{ recipient.first_name }}", string extra = "") =>
        "{\"handle\": \"" + handle + "\", \"type\": \"channel\", \"channel_type\": \"in_app\", \"position\": " + position + ", " + extra
        + " \"template\": {\"data\": {\"body\": \"" + body + "\"}}}";
}
