using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Notiflows.Server.Api.Admin.Lists;
using Notiflows.Server.Auth;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Storage.Database;
using Notiflows.Storage.Feed;

namespace Notiflows.Server.Api.User.Feed;

/// <summary>
/// The current user's feed in an in-app channel (§7.1–§7.3): list and read entries, update their engagement state one
/// at a time or in an atomic batch, and mark all. Every handler first checks <c>{channel_id}</c> (§7: 400 / 404 / 400 when
/// not in-app) and only ever sees entries of the current user in that channel: another user's entry is a 404.
/// </summary>
public static class FeedEndpoints
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    public static void MapFeedEndpoints(this RouteGroupBuilder root)
    {
        var entries = root.MapGroup("/channels/{channel_id}/feed/entries").WithTags("User API: feed");
        entries.MapGet("", List).WithName("UserListFeedEntries").WithSummary("The current user's feed entries, newest first, with counts.");
        entries.MapGet("/{entry_id}", Get).WithName("UserGetFeedEntry").WithSummary("One feed entry of the current user.");
        entries.MapPatch("/{entry_id}", FeedUpdates.UpdateOne).WithName("UserUpdateFeedEntry")
            .WithSummary("Set seen, read, clicked or archived on one entry.").WithRequestBody<FeedEntryPatch>();
        entries.MapPatch("", FeedUpdates.UpdateBatch).WithName("UserUpdateFeedEntries")
            .WithSummary("Atomically update up to 100 entries; returns them in entry_ids order.").WithRequestBody<FeedBatchPatch>();
        entries.MapPost("/mark-all", FeedUpdates.MarkAll).WithName("UserMarkAllFeedEntries")
            .WithSummary("Set seen, read or archived on every non-archived entry.").WithRequestBody<MarkAllBody>();
    }

    private static async Task<Results<Ok<FeedList>, ApiError>> List(
        [FromRoute(Name = "channel_id")] string channelId, HttpContext http, Db db, CancellationToken ct)
    {
        var caller = http.EndUser();
        var query = new ListParams(http.Request);
        var filter = FeedListQuery.Read(query);
        var scope = query.Scope("feed/entries", caller.Project.Id, $"{caller.User.Id}|{channelId}");
        if (query.TryPage(scope, out var page, DefaultLimit, MaxLimit) is { } error)
        {
            return error;
        }
        return await db.ReadAsync<Results<Ok<FeedList>, ApiError>>(async s =>
        {
            var (channel, channelError) = await UserChannels.FindAsync(s, caller.Project.Id, channelId, inApp: true, ct);
            if (channelError is not null)
            {
                return channelError;
            }
            var list = FeedListQuery.Build(caller.User.Id, channel!.Id, filter, page);
            var result = await list.PageAsync<FeedEntryRow>(s, scope, e => e.Id, ct);
            var total = await s.ScalarAsync<long>(list.CountSql("deliveries d"), list.Parameters, ct);
            var counts = await FeedStore.CountsAsync(s, caller.User.Id, channel.Id, ct);
            return TypedResults.Ok(new FeedList(
                result.Items.Select(FeedEntryResponse.From).ToList(), result.Page, total, counts.TotalUnread, counts.TotalUnseen));
        }, ct);
    }

    private static async Task<Results<Ok<FeedEntryResponse>, ApiError>> Get(
        [FromRoute(Name = "channel_id")] string channelId, [FromRoute(Name = "entry_id")] string entryId, HttpContext http, Db db,
        CancellationToken ct)
    {
        var caller = http.EndUser();
        return await db.ReadAsync<Results<Ok<FeedEntryResponse>, ApiError>>(async s =>
        {
            var (entry, error) = await FindAsync(s, caller, channelId, entryId, lockRow: false, ct);
            return error ?? (Results<Ok<FeedEntryResponse>, ApiError>)TypedResults.Ok(FeedEntryResponse.From(entry!));
        }, ct);
    }

    /// <summary>The entry <paramref name="entryId"/> of the current user in the channel, or the 400 / 404 that says why not.</summary>
    internal static async Task<(FeedEntryRow? Entry, ApiError? Error)> FindAsync(
        DbSession s, UserCaller caller, string channelId, string entryId, bool lockRow, CancellationToken ct)
    {
        var (channel, error) = await UserChannels.FindAsync(s, caller.Project.Id, channelId, inApp: true, ct);
        if (error is not null)
        {
            return (null, error);
        }
        if (!Guid.TryParse(entryId, out var id))
        {
            return (null, ApiError.InvalidUuid("entry_id"));
        }
        var rows = await FeedStore.OwnedAsync(s, caller.User.Id, channel!.Id, [id], lockRow, ct);
        return rows.Count == 0 ? (null, ApiError.NotFound("feed_entry", entryId)) : (rows[0], null);
    }
}
