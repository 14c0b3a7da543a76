using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Notiflows.Server.Tests.Engine;
using Notiflows.Server.Tests.Infrastructure;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Tests.Runs;

/// <summary>Helpers for run acceptance tests: a project with a published one-step in-app notiflow, runs, users, counts.</summary>
public abstract class RunTestBase<TFixture>(TFixture fixture) : EngineTests<TFixture>(fixture) where TFixture : HostFixture
{
    protected const string Flow = "hello";

    protected static string FlowSteps => $"[{Trigger}, {InApp("in_app", 1)}, {End(2)}]";

    /// <summary>A new project holding the published notiflow <see cref="Flow"/>.</summary>
    protected async Task<TestProject> ProjectWithFlowAsync() => await PublishAsync(await NewProjectAsync(), Flow, FlowSteps);

    protected Task<ApiResponse> AdminRun(TestProject p, string body, IReadOnlyDictionary<string, string>? headers = null, string handle = Flow) =>
        Admin(p, HttpMethod.Post, $"/admin/v1/notiflows/{handle}/run", body, headers);

    protected Task<ApiResponse> GetUser(TestProject p, string externalId) =>
        Admin(p, HttpMethod.Get, $"/admin/v1/users/{Uri.EscapeDataString(externalId)}");

    protected Task<ApiResponse> PutUser(TestProject p, string externalId, string body) =>
        Admin(p, HttpMethod.Put, $"/admin/v1/users/{Uri.EscapeDataString(externalId)}", body);

    /// <summary>The ids of the project's runs, oldest first, read from the database (the Admin API has no run list yet).</summary>
    protected async Task<List<string>> Runs(TestProject p) =>
        (await Host.Services.GetRequiredService<Db>().ReadAsync(s => s.QueryAsync<string>(
            "SELECT CAST(r.id AS text) FROM runs r JOIN projects p ON p.id = r.project_id WHERE p.slug = @slug ORDER BY r.id",
            new { slug = p.Slug }, Ct), Ct)).Select(id => id.ToLowerInvariant()).ToList();

    /// <summary>Every notification of the project (after <c>Host.DrainAsync()</c>).</summary>
    protected async Task<List<JsonObject>> AllNotifications(TestProject p)
    {
        var all = new List<JsonObject>();
        foreach (var run in await Runs(p))
        {
            all.AddRange(await Notifications(p, run));
        }
        return all;
    }

    protected async Task<string> NotiflowIdAsync(TestProject p, string handle = Flow) =>
        (string)(await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/{handle}")).AssertStatus(200).Body["id"]!;

    protected static Dictionary<string, string> Key(string key) => new() { ["Idempotency-Key"] = key };

    protected static string RunId(ApiResponse r) => (string)r.AssertStatus(202).Body["notiflow_run_id"]!;
}
