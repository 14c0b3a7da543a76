using Microsoft.AspNetCore.Http.HttpResults;
using Notiflows.Server.Auth;
using Notiflows.Server.Errors;
using Notiflows.Server.Idempotency;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Startup;

namespace Notiflows.Server.Api.Runs;

public sealed record RunAccepted(Guid NotiflowRunId);

/// <summary>The run endpoints: Admin <c>POST /notiflows/{handle_or_id}/run</c> (§6.5) and Management (§8.4.3).</summary>
public static class RunEndpoints
{
    public static void MapAdminRunEndpoint(this RouteGroupBuilder root, RouteNames names) =>
        root.MapPost("/notiflows/{handle_or_id}/run", AdminRun).WithTags("Admin: runs").WithName(names.Of("RunNotiflow"))
            .WithSummary("Run a notiflow for recipients or a topic (202 once committed).").WithRequestBody<RunBody>();

    public static void MapManagementRunEndpoint(this RouteGroupBuilder notiflows, RouteNames names) =>
        notiflows.MapPost("/{handle}/run", ManagementRun).WithName(names.Of("RunNotiflowManagement"))
            .WithSummary("Run a notiflow (published, or the draft with version: \"draft\").").WithRequestBody<RunBody>();

    private static async Task<Results<Accepted<RunAccepted>, ApiError>> AdminRun(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "handle_or_id")] string handleOrId, HttpContext http, RunAcceptor acceptor,
        ServerSettings settings, CancellationToken ct)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(http.Request, settings.RunBodyLimit, ct);
        if (bodyError is not null)
        {
            return bodyError;
        }
        var (runId, error) = await acceptor.AcceptAsync(http.Project().Id, handleOrId, body, new RunSource("admin_api", false, null),
            http.Features.Get<IdempotencyReservation>(), id => (202, new RunAccepted(id), Location(id)), ct);
        return error is not null ? error : TypedResults.Accepted(Location(runId), new RunAccepted(runId));
    }

    private static async Task<Results<Accepted<RunAccepted>, ApiError>> ManagementRun(
        string handle, HttpContext http, RunAcceptor acceptor, ServerSettings settings, CancellationToken ct)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(http.Request, settings.RunBodyLimit, ct);
        if (bodyError is not null)
        {
            return bodyError;
        }
        var caller = http.Management();
        var source = new RunSource("management_api", true, new TriggeredBy("account_token", caller.TokenId, caller.TokenName));
        var (runId, error) = await acceptor.AcceptAsync(http.Project().Id, handle, body, source,
            http.Features.Get<IdempotencyReservation>(), id => (202, new RunAccepted(id), null), ct);
        return error is not null ? error : TypedResults.Accepted((string?)null, new RunAccepted(runId));
    }

    private static string Location(Guid runId) => $"/admin/v1/runs/{runId}";
}

/// <summary>The run body (documentation only; the handler reads the JSON itself).</summary>
public sealed record RunBody(
    IReadOnlyList<System.Text.Json.Nodes.JsonNode>? Recipients = null, string? Topic = null, System.Text.Json.Nodes.JsonObject? Data = null,
    System.Text.Json.Nodes.JsonNode? Actor = null, string? CancellationKey = null, string? Version = null);
