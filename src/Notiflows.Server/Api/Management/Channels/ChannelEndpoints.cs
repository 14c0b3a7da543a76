using Microsoft.AspNetCore.Http.HttpResults;
using Notiflows.Core.Channels;
using Notiflows.Server.Auth;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Infrastructure.Paging;
using Notiflows.Server.Startup;
using Notiflows.Storage.Channels;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Api.Management.Channels;

/// <summary>Channels of the Management API (§8.7).</summary>
public static class ChannelEndpoints
{
    public static void MapChannelEndpoints(this RouteGroupBuilder group, RouteNames names)
    {
        var g = group.MapGroup("/channels").WithTags("Channels");
        g.MapGet("", List).WithName(names.Of("ListChannels")).WithSummary("List channels (page-number paging), ordered by handle.");
        g.MapGet("/{handle}", Get).WithName(names.Of("GetChannel")).WithSummary("One channel by handle or id (secrets masked).");
        g.MapPut("/{handle}", Put).WithName(names.Of("PutChannel")).WithSummary("Create or update a channel.")
            .WithRequestBody<PutChannelBody>();
        g.MapDelete("/{handle}", Delete).WithName(names.Of("DeleteChannel")).WithSummary("Delete a channel.");
    }

    private static async Task<Results<Ok<PagedList<ChannelResponse>>, ApiError>> List(HttpContext http, Db db, MasterKey key, CancellationToken ct)
    {
        if (PageNumber.TryParse(http.Request, out var page) is { } error)
        {
            return error;
        }
        var type = QueryParams.String(http.Request, "type");
        if (type is not null && !ChannelTypes.IsValid(type))
        {
            return ApiError.InvalidParam("type");
        }
        var projectId = http.Project().Id;
        var (rows, total) = await db.ReadAsync(async s =>
            (await ChannelStore.ListAsync(s, projectId, type, page.Offset, page.Limit, ct), await ChannelStore.CountAsync(s, projectId, type, ct)), ct);
        return TypedResults.Ok(page.Result(rows.Select(r => ChannelViews.Management(r, key)).ToList(), total));
    }

    private static async Task<Results<Ok<ChannelResponse>, ApiError>> Get(string handle, HttpContext http, Db db, MasterKey key, CancellationToken ct)
    {
        var projectId = http.Project().Id;
        var row = await db.ReadAsync(s => ChannelWriter.FindAsync(s, projectId, handle, ct), ct);
        return row is null ? ApiError.NotFound("channel", handle) : TypedResults.Ok(ChannelViews.Management(row, key));
    }

    private static async Task<Results<Ok<ChannelResponse>, Created<ChannelResponse>, ApiError>> Put(
        string handle, HttpContext http, ChannelWriter writer, ServerSettings settings, CancellationToken ct)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(http.Request, settings.BodyLimit, ct);
        if (bodyError is not null)
        {
            return bodyError;
        }
        var (channel, created, error) = await writer.PutAsync(http.Project().Id, handle, body, ct);
        if (error is not null)
        {
            return error;
        }
        return created ? TypedResults.Created((string?)null, channel) : TypedResults.Ok(channel!);
    }

    private static async Task<Results<NoContent, ApiError>> Delete(string handle, HttpContext http, ChannelWriter writer, CancellationToken ct) =>
        await writer.DeleteAsync(http.Project().Id, handle, ct) is { } error ? error : TypedResults.NoContent();
}
