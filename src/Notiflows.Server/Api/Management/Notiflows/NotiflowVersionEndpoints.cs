using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Notiflows.Server.Auth;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Infrastructure.Paging;
using Notiflows.Server.Startup;
using Notiflows.Storage.Channels;
using Notiflows.Storage.Database;
using Notiflows.Storage.Notiflows;

namespace Notiflows.Server.Api.Management.Notiflows;

/// <summary>Versions (§8.5) and step templates (§8.6) of a notiflow.</summary>
public static class NotiflowVersionEndpoints
{
    public static void MapNotiflowVersionEndpoints(this RouteGroupBuilder g, RouteNames names)
    {
        g.MapGet("/{handle}/versions", ListVersions).WithName(names.Of("ListVersions")).WithSummary("List versions, newest first (cursor paging).");
        g.MapGet("/{handle}/versions/{version}", GetVersion).WithName(names.Of("GetVersion")).WithSummary("One version by number or id.");
        g.MapGet("/{handle}/steps/{step_handle}/template", GetTemplate).WithName(names.Of("GetStepTemplate"))
            .WithSummary("The template of a step of the current version.");
        g.MapPut("/{handle}/steps/{step_handle}/template", PutTemplate).WithName(names.Of("PutStepTemplate"))
            .WithSummary("Set a step's template (creates a new draft version when the content changes).");
    }

    private static async Task<Results<Ok<CursorList<VersionResponse>>, ApiError>> ListVersions(
        string handle, HttpContext http, Db db, CancellationToken ct)
    {
        var projectId = http.Project().Id;
        var status = QueryParams.String(http.Request, "status");
        return await db.ReadAsync<Results<Ok<CursorList<VersionResponse>>, ApiError>>(async s =>
        {
            var n = await NotiflowLookup.FindAsync(s, projectId, handle, ct);
            if (n is null)
            {
                return NotiflowLookup.NotFound(handle);
            }
            var scope = CursorPage.Scope("versions", projectId, n.Id.ToString(), status);
            if (CursorPage.TryParse(http.Request, scope, 25, 100, out var page) is { } pageError)
            {
                return pageError;
            }
            int? older = Number(page.After), newer = Number(page.Before);
            var rows = (await NotiflowStore.ListVersionsAsync(s, n.Id, status, older, newer, page.Limit, ct)).ToList();
            if (newer is not null)
            {
                rows.Reverse();
            }
            var channels = NotiflowViews.ChannelInfos(await ChannelStore.AllAsync(s, projectId, ct));
            var hasOlder = rows.Count > 0 && await NotiflowStore.CountVersionsAsync(s, n.Id, status, rows[^1].VersionNumber, null, ct) > 0;
            var hasNewer = rows.Count > 0 && await NotiflowStore.CountVersionsAsync(s, n.Id, status, null, rows[0].VersionNumber, ct) > 0;
            string? Key(VersionRow v) => CursorPage.Encode(scope, v.VersionNumber.ToString(CultureInfo.InvariantCulture));
            var info = new CursorInfo(rows.Count > 0 ? Key(rows[^1]) : null, rows.Count > 0 ? Key(rows[0]) : null, hasOlder, hasNewer, page.Limit);
            return TypedResults.Ok(new CursorList<VersionResponse>(rows.Select(v => NotiflowViews.Version(v, channels)).ToList(), info));
        }, ct);
    }

    private static async Task<Results<Ok<VersionResponse>, ApiError>> GetVersion(string handle, string version, HttpContext http, Db db, CancellationToken ct)
    {
        var projectId = http.Project().Id;
        return await db.ReadAsync<Results<Ok<VersionResponse>, ApiError>>(async s =>
        {
            var n = await NotiflowLookup.FindAsync(s, projectId, handle, ct);
            if (n is null)
            {
                return NotiflowLookup.NotFound(handle);
            }
            VersionRow? row = null;
            if (NotiflowLookup.IsUuid(version, out var id))
            {
                row = await NotiflowStore.GetVersionAsync(s, n.Id, id, ct);
            }
            else if (int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                row = await NotiflowStore.GetVersionByNumberAsync(s, n.Id, number, ct);
            }
            if (row is null)
            {
                return ApiError.NotFound("version", version);
            }
            var channels = NotiflowViews.ChannelInfos(await ChannelStore.AllAsync(s, projectId, ct));
            return TypedResults.Ok(NotiflowViews.Version(row, channels));
        }, ct);
    }

    private static async Task<Results<Ok<TemplateResponse>, ApiError>> GetTemplate(
        string handle, [Microsoft.AspNetCore.Mvc.FromRoute(Name = "step_handle")] string stepHandle, HttpContext http, NotiflowTemplates templates, CancellationToken ct)
    {
        var (template, error) = await templates.GetAsync(http.Project().Id, handle, stepHandle, ct);
        return error is not null ? error : TypedResults.Ok(template!);
    }

    private static async Task<Results<Ok<TemplateResponse>, Created<TemplateResponse>, ApiError>> PutTemplate(
        string handle, [Microsoft.AspNetCore.Mvc.FromRoute(Name = "step_handle")] string stepHandle, HttpContext http, NotiflowTemplates templates, ServerSettings settings, CancellationToken ct)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(http.Request, settings.BodyLimit, ct);
        if (bodyError is not null)
        {
            return bodyError;
        }
        var (template, created, error) = await templates.PutAsync(http.Project().Id, handle, stepHandle, body, http.Management().TokenId, ct);
        if (error is not null)
        {
            return error;
        }
        return created ? TypedResults.Created((string?)null, template) : TypedResults.Ok(template!);
    }

    private static int? Number(string? key) => key is null ? null : int.Parse(key, CultureInfo.InvariantCulture);
}
