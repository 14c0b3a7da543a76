using Microsoft.AspNetCore.Http.HttpResults;
using Notiflows.Server.Api.Runs;
using Notiflows.Server.Auth;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Infrastructure.Paging;
using Notiflows.Server.Startup;
using Notiflows.Storage.Database;
using Notiflows.Storage.Notiflows;

namespace Notiflows.Server.Api.Management.Notiflows;

/// <summary>The notiflow endpoints of the Management API (§8.4), mapped into a project-scoped group.</summary>
public static class NotiflowEndpoints
{
    public static void MapNotiflowEndpoints(this RouteGroupBuilder group, RouteNames names)
    {
        var g = group.MapGroup("/notiflows").WithTags("Notiflows");
        g.MapGet("", List).WithName(names.Of("ListNotiflows")).WithSummary("List notiflows (page-number paging).");
        g.MapGet("/{handle}", Get).WithName(names.Of("GetNotiflow")).WithSummary("Get a notiflow with its current and published versions.");
        g.MapPut("/{handle}", Upsert).WithName(names.Of("UpsertNotiflow")).WithSummary("Create or update a notiflow.")
            .WithRequestBody<UpsertNotiflowBody>();
        g.MapPost("/{handle}/validate", Validate).WithName(names.Of("ValidateNotiflow")).WithSummary("Validate without saving.");
        g.MapPost("/{handle}/publish", Publish).WithName(names.Of("PublishNotiflow")).WithSummary("Publish the draft.");
        g.MapPost("/{handle}/rollback", Rollback).WithName(names.Of("RollbackNotiflow")).WithSummary("Discard the draft.");
        g.MapPost("/{handle}/activate", Activate).WithName(names.Of("ActivateNotiflow")).WithSummary("Set active = true.");
        g.MapPost("/{handle}/deactivate", Deactivate).WithName(names.Of("DeactivateNotiflow")).WithSummary("Set active = false.");
        g.MapPost("/{handle}/archive", Archive).WithName(names.Of("ArchiveNotiflow")).WithSummary("Archive (soft-delete).");
        g.MapPost("/{handle}/unarchive", Unarchive).WithName(names.Of("UnarchiveNotiflow")).WithSummary("Clear archived_at.");
        g.MapNotiflowVersionEndpoints(names);
        g.MapManagementRunEndpoint(names);
    }

    private static async Task<Results<Ok<PagedList<NotiflowSummary>>, ApiError>> List(HttpContext http, Db db, CancellationToken ct)
    {
        if (PageNumber.TryParse(http.Request, out var page) is { } pageError)
        {
            return pageError;
        }
        if (!QueryParams.TryBool(http.Request, "active", out var active, out var error)
            || !QueryParams.TryBool(http.Request, "published", out var published, out error)
            || !QueryParams.TryBool(http.Request, "archived", out var archived, out error))
        {
            return error!;
        }
        var filter = new NotiflowFilter(QueryParams.String(http.Request, "query"), active, published, archived ?? false);
        var projectId = http.Project().Id;
        var (rows, total) = await db.ReadAsync(async s =>
            (await NotiflowStore.ListAsync(s, projectId, filter, page.Offset, page.Limit, ct), await NotiflowStore.CountAsync(s, projectId, filter, ct)), ct);
        return TypedResults.Ok(page.Result(rows.Select(NotiflowViews.Summary).ToList(), total));
    }

    private static async Task<Results<Ok<NotiflowResponse>, ApiError>> Get(string handle, HttpContext http, Db db, CancellationToken ct)
    {
        var projectId = http.Project().Id;
        var view = await db.ReadAsync(async s =>
            await NotiflowLookup.FindAsync(s, projectId, handle, ct) is { } n ? await NotiflowLookup.ViewAsync(s, n, ct) : null, ct);
        return view is null ? NotiflowLookup.NotFound(handle) : TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<NotiflowResponse>, Created<NotiflowResponse>, ApiError>> Upsert(
        string handle, HttpContext http, NotiflowUpsert upsert, ServerSettings settings, CancellationToken ct)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(http.Request, settings.BodyLimit, ct);
        if (bodyError is not null)
        {
            return bodyError;
        }
        var outcome = await upsert.UpsertAsync(http.Project().Id, handle, body, http.Management().TokenId, ct);
        if (outcome.Error is not null)
        {
            return outcome.Error;
        }
        return outcome.Created ? TypedResults.Created((string?)null, outcome.Notiflow) : TypedResults.Ok(outcome.Notiflow);
    }

    private static async Task<Results<Ok<ValidationReport>, ApiError>> Validate(
        string handle, HttpContext http, NotiflowValidation validation, ServerSettings settings, CancellationToken ct)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(http.Request, settings.BodyLimit, ct);
        if (bodyError is not null)
        {
            return bodyError;
        }
        var (report, error) = await validation.ValidateAsync(http.Project().Id, handle, body, ct);
        return error is not null ? error : TypedResults.Ok(report);
    }

    private static async Task<Results<Ok<PublishResponse>, ApiError>> Publish(string handle, HttpContext http, NotiflowLifecycle lifecycle, CancellationToken ct)
    {
        var (notiflow, warnings, error) = await lifecycle.PublishAsync(http.Project().Id, handle, http.Management().TokenId, ct);
        return error is not null ? error : TypedResults.Ok(NotiflowViews.Published(notiflow!, warnings));
    }

    private static Task<Results<Ok<NotiflowResponse>, ApiError>> Rollback(string handle, HttpContext http, NotiflowLifecycle lifecycle, CancellationToken ct) =>
        Respond(lifecycle.RollbackAsync(http.Project().Id, handle, ct));

    private static Task<Results<Ok<NotiflowResponse>, ApiError>> Activate(string handle, HttpContext http, NotiflowLifecycle lifecycle, CancellationToken ct) =>
        Respond(lifecycle.SetActiveAsync(http.Project().Id, handle, true, ct));

    private static Task<Results<Ok<NotiflowResponse>, ApiError>> Deactivate(string handle, HttpContext http, NotiflowLifecycle lifecycle, CancellationToken ct) =>
        Respond(lifecycle.SetActiveAsync(http.Project().Id, handle, false, ct));

    private static Task<Results<Ok<NotiflowResponse>, ApiError>> Archive(string handle, HttpContext http, NotiflowLifecycle lifecycle, CancellationToken ct) =>
        Respond(lifecycle.SetArchivedAsync(http.Project().Id, handle, true, ct));

    private static Task<Results<Ok<NotiflowResponse>, ApiError>> Unarchive(string handle, HttpContext http, NotiflowLifecycle lifecycle, CancellationToken ct) =>
        Respond(lifecycle.SetArchivedAsync(http.Project().Id, handle, false, ct));

    private static async Task<Results<Ok<NotiflowResponse>, ApiError>> Respond(Task<(NotiflowResponse?, ApiError?)> work)
    {
        var (notiflow, error) = await work;
        return error is not null ? error : TypedResults.Ok(notiflow!);
    }
}

/// <summary>The upsert body (documentation only: the handler reads the JSON itself to report every field error with its path).</summary>
public sealed record UpsertNotiflowBody(
    string? Name = null, string? Description = null, bool? Active = null, bool? IncludeInPreferences = null,
    IReadOnlyList<System.Text.Json.Nodes.JsonObject>? Steps = null, string? ExpectedSha = null, string? Handle = null);
