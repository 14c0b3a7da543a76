using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Management.Notiflows;

/// <summary>Shared helpers of the notiflow Management API tests: every helper works in the given project (canonical path form).</summary>
public abstract class NotiflowApiTests<TFixture>(TFixture fixture) : ApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    protected Task<ApiResponse> PutFlow(TestProject p, string handle, string body) =>
        Mgmt(HttpMethod.Put, $"{p.Base}/notiflows/{handle}", body);

    protected Task<ApiResponse> GetFlow(TestProject p, string handle) => Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/{handle}");

    protected Task<ApiResponse> PostFlow(TestProject p, string handle, string action, string? body = null) =>
        Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/{handle}/{action}", body);

    protected async Task<JsonObject> CreateFlowAsync(TestProject p, string handle, string? steps = null, string name = "Flow")
    {
        var body = steps is null ? $$"""{"name": "{{name}}"}""" : Flows.Body(name, steps);
        return (await PutFlow(p, handle, body)).AssertStatus(201).Body;
    }

    protected async Task<JsonObject> UpdateStepsAsync(TestProject p, string handle, string steps) =>
        (await PutFlow(p, handle, $$"""{"steps": {{steps}}}""")).AssertStatus(200).Body;

    protected async Task<JsonObject> PublishAsync(TestProject p, string handle) =>
        (await PostFlow(p, handle, "publish")).AssertStatus(200).Body;

    protected async Task<JsonObject> GetVersionAsync(TestProject p, string handle, int number) =>
        (await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/{handle}/versions/{number}")).AssertStatus(200).Body;

    protected async Task<JsonObject> GetFlowAsync(TestProject p, string handle) => (await GetFlow(p, handle)).AssertStatus(200).Body;
}

/// <summary>Building blocks of notiflow definitions.</summary>
public static class Flows
{
    public const string Email = """{"handle": "email_1", "type": "channel", "channel_type": "email"}""";

    public const string Sms = """{"handle": "sms_1", "type": "channel", "channel_type": "sms"}""";

    /// <summary>A complete top-level list: trigger (0), the given steps (top-level ones get positions 1…n unless they have one), end.</summary>
    public static string Steps(params string[] middle)
    {
        var steps = new JsonArray { Obj("""{"handle": "trigger", "type": "trigger", "position": 0}""") };
        var position = 1;
        foreach (var json in middle)
        {
            var step = Obj(json);
            if (step["parent_step_handle"] is null && !step.ContainsKey("position"))
            {
                step["position"] = position;
            }
            if (step["parent_step_handle"] is null)
            {
                position = Math.Max(position, (int)Math.Floor(double.Parse(step["position"]!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture)) + 1);
            }
            steps.Add(step);
        }
        steps.Add(Obj($$"""{"handle": "end", "type": "end", "position": {{position}}}"""));
        return steps.ToJsonString();
    }

    public static string Body(string name, string steps) => $$"""{"name": "{{name}}", "steps": {{steps}}}""";

    public static string EmailWithTemplate(string subject = "Hi {{ recipient.first_name }}", string body = "<p>Hello</p>", string handle = "email_1") =>
        new JsonObject
        {
            ["handle"] = handle, ["type"] = "channel", ["channel_type"] = "email",
            ["template"] = new JsonObject { ["data"] = new JsonObject { ["subject"] = subject, ["body"] = body, ["content_type"] = "html" } },
        }.ToJsonString();

    public static string Wait(int duration, string unit = "seconds", string handle = "wait_1") =>
        $$"""{"handle": "{{handle}}", "type": "wait", "settings": {"duration": {{duration}}, "unit": "{{unit}}"} }""";

    public static string Sha(JsonObject notiflow) => (string)notiflow["current_version"]!["sha"]!;

    public static int Number(JsonObject notiflow) => (int)notiflow["current_version"]!["version_number"]!;

    public static string Status(JsonObject version) => (string)version["status"]!;

    public static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();
}
