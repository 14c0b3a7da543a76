using Microsoft.AspNetCore.Http.HttpResults;
using Notiflows.Core.Channels;
using Notiflows.Server.Api.Management.Channels;
using Notiflows.Server.Auth;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Infrastructure.Paging;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Api.Admin.Channels;

/// <summary>Read-only channels of the Admin API (§6.10), without <c>config</c>.</summary>
public static class AdminChannelEndpoints
{
    public static void MapAdminChannelEndpoints(this RouteGroupBuilder root, RouteNames names)
    {
        var g = root.MapGroup("/channels").WithTags("Admin: channels");
        g.MapGet("", List).WithName(names.Of("ListChannels")).WithSummary("List the project's channels, newest first (cursor paging).");
        g.MapGet("/{handle_or_id}", Get).WithName(names.Of("GetChannel")).WithSummary("One channel by handle or id.");
    }

    private static async Task<Results<Ok<CursorList<ChannelResponse>>, ApiError>> List(HttpContext http, Db db, CancellationToken ct)
    {
        var type = QueryParams.String(http.Request, "type");
        if (type is not null && !ChannelTypes.IsValid(type))
        {
            return ApiError.InvalidParam("type");
        }
        var projectId = http.Project().Id;
        var scope = CursorPage.Scope("admin_channels", projectId, type);
        if (CursorPage.TryParse(http.Request, scope, 25, 1000, out var page) is { } error)
        {
            return error;
        }
        // Channels per project are few: page in memory over the id-ordered list.
        var all = (await db.ReadAsync(s => Storage.Channels.ChannelStore.AllAsync(s, projectId, ct), ct))
            .Where(c => type is null || c.Type == type).OrderByDescending(c => c.Id).ToList();
        // The page is the slice [start, end) of the newest-first list: after a cursor, the items older than it;
        // before a cursor, the `limit` items immediately newer than it (never the cursor item itself or older ones).
        var start = page.After is { } after ? all.FindIndex(c => string.CompareOrdinal(c.Id.ToString(), after) < 0) : 0;
        var end = all.Count;
        if (start < 0)
        {
            start = all.Count;
        }
        if (page.Before is { } before)
        {
            end = all.FindIndex(c => string.CompareOrdinal(c.Id.ToString(), before) <= 0);
            end = end < 0 ? all.Count : end;
            start = Math.Max(0, end - page.Limit);
        }
        var items = all.Skip(start).Take(Math.Min(page.Limit, end - start)).ToList();
        string Key(Storage.Channels.ChannelRow c) => CursorPage.Encode(scope, c.Id.ToString());
        var info = new CursorInfo(items.Count > 0 ? Key(items[^1]) : null, items.Count > 0 ? Key(items[0]) : null,
            start + items.Count < all.Count, start > 0, page.Limit);
        return TypedResults.Ok(new CursorList<ChannelResponse>(items.Select(ChannelViews.WithoutConfig).ToList(), info));
    }

    private static async Task<Results<Ok<ChannelResponse>, ApiError>> Get(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "handle_or_id")] string handleOrId, HttpContext http, Db db, CancellationToken ct)
    {
        var projectId = http.Project().Id;
        var row = await db.ReadAsync(s => ChannelWriter.FindAsync(s, projectId, handleOrId, ct), ct);
        return row is null ? ApiError.NotFound("channel", handleOrId) : TypedResults.Ok(ChannelViews.WithoutConfig(row));
    }
}
