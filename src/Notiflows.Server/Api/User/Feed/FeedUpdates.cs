using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Notiflows.Core.Common;
using Notiflows.Core.Feed;
using Notiflows.Server.Auth;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Realtime;
using Notiflows.Server.Startup;
using Notiflows.Storage.Database;
using Notiflows.Storage.Feed;

namespace Notiflows.Server.Api.User.Feed;

/// <summary>
/// Feed state changes (§7.3, §7.1 mark-all), each in one write transaction that locks the entries it reads (PostgreSQL)
/// and announces the entries that changed to the realtime hub (§15.1), which sends them after the commit. Checks run in
/// this order: the body is JSON, the channel, the entry (single: 400 / 404), the body's fields (422), the batch's entries
/// (404), then clearing a set-once timestamp (409) — so nothing is written unless every check passed.
/// </summary>
public static class FeedUpdates
{
    public static async Task<Results<Ok<FeedEntryResponse>, ApiError>> UpdateOne(
        [FromRoute(Name = "channel_id")] string channelId, [FromRoute(Name = "entry_id")] string entryId, HttpContext http, Db db,
        TimeProvider time, FeedPublisher feed, ServerSettings settings, CancellationToken ct)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(http.Request, settings.BodyLimit, ct);
        if (bodyError is not null)
        {
            return bodyError;
        }
        var errors = new List<FieldError>();
        var change = FeedChange.Parse(body, "", "body", errors);
        var caller = http.EndUser();
        return await db.WriteAsync<Results<Ok<FeedEntryResponse>, ApiError>>(async s =>
        {
            var (entry, error) = await FeedEndpoints.FindAsync(s, caller, channelId, entryId, lockRow: true, ct);
            if (error is not null)
            {
                return error;
            }
            if (errors.Count > 0)
            {
                return ApiError.Validation(errors);
            }
            var conflict = await ApplyAsync(s, caller, entry!.ChannelId, [entry], change!, time.Now(), feed, ct);
            return conflict ?? (Results<Ok<FeedEntryResponse>, ApiError>)TypedResults.Ok(FeedEntryResponse.From(entry));
        }, ct);
    }

    public static Task<Results<Ok<List<FeedEntryResponse>>, ApiError>> UpdateBatch(
        [FromRoute(Name = "channel_id")] string channelId, HttpContext http, Db db, TimeProvider time, FeedPublisher feed,
        ServerSettings settings, CancellationToken ct) =>
        InChannelAsync<FeedBatch, List<FeedEntryResponse>>(http, db, settings, channelId, FeedBatch.Read, async (s, caller, channel, batch) =>
        {
            var found = (await FeedStore.OwnedAsync(s, caller.User.Id, channel, batch.EntryIds, lockRows: true, ct)).ToDictionary(e => e.Id);
            if (batch.EntryIds.FirstOrDefault(id => !found.ContainsKey(id)) is var missing && missing != Guid.Empty)
            {
                return ApiError.NotFound("feed_entry", missing.ToString());
            }
            var entries = batch.EntryIds.Select(id => found[id]).ToList();
            var conflict = await ApplyAsync(s, caller, channel, entries, batch.Change, time.Now(), feed, ct);
            return conflict ?? (Results<Ok<List<FeedEntryResponse>>, ApiError>)TypedResults.Ok(entries.Select(FeedEntryResponse.From).ToList());
        }, ct);

    public static Task<Results<Ok<MarkAllResponse>, ApiError>> MarkAll(
        [FromRoute(Name = "channel_id")] string channelId, HttpContext http, Db db, TimeProvider time, FeedPublisher feed,
        ServerSettings settings, CancellationToken ct) =>
        InChannelAsync<FeedChange, MarkAllResponse>(http, db, settings, channelId, FeedChange.ParseMarkAll, async (s, caller, channel, change) =>
        {
            var updated = await FeedStore.MarkAllAsync(s, caller.User.Id, channel, change, time.Now(), ct);
            if (updated > 0)
            {
                // A bulk change: one resync (and counts) instead of an event per entry (§7.3, §15.1).
                await feed.PublishAsync(s, [new FeedSignal(caller.Project.Id, caller.User.Id, channel, FeedSignal.Resync, [])], ct);
            }
            return TypedResults.Ok(new MarkAllResponse(updated));
        }, ct);

    /// <summary>
    /// A request on the channel's entries with a body: reads the body with <paramref name="parse"/>, then in one write
    /// session checks the channel and the body's fields (422) and runs <paramref name="work"/> with the channel id.
    /// </summary>
    private static async Task<Results<Ok<T>, ApiError>> InChannelAsync<TBody, T>(
        HttpContext http, Db db, ServerSettings settings, string channelId, Func<JsonElement, List<FieldError>, TBody?> parse,
        Func<DbSession, UserCaller, Guid, TBody, Task<Results<Ok<T>, ApiError>>> work, CancellationToken ct) where TBody : class
    {
        var (body, bodyError) = await JsonBody.ReadAsync(http.Request, settings.BodyLimit, ct);
        if (bodyError is not null)
        {
            return bodyError;
        }
        var errors = new List<FieldError>();
        var parsed = parse(body, errors);
        var caller = http.EndUser();
        return await db.WriteAsync<Results<Ok<T>, ApiError>>(async s =>
        {
            var (channel, error) = await UserChannels.FindAsync(s, caller.Project.Id, channelId, inApp: true, ct);
            if (error is not null)
            {
                return error;
            }
            return errors.Count > 0 ? ApiError.Validation(errors) : await work(s, caller, channel!.Id, parsed!);
        }, ct);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the locked <paramref name="entries"/> (in memory too, for the response): the 409
    /// when it would clear a set-once timestamp, otherwise null after writing and announcing the entries that changed.
    /// </summary>
    private static async Task<ApiError?> ApplyAsync(
        DbSession s, UserCaller caller, Guid channelId, IReadOnlyList<FeedEntryRow> entries, FeedChange change, DateTimeOffset now,
        FeedPublisher feed, CancellationToken ct)
    {
        if (change.ClearsOnceOnly)
        {
            return ApiError.Conflict("Seen, read and clicked can only be set, never cleared",
                ("current_status", entries[0].State.Status), ("allowed_transitions", FeedChange.AllowedTransitions));
        }
        var changed = entries.Where(e => e.MoveTo(change.ApplyTo(e.State, now), now)).Select(e => e.Id).ToList();
        if (changed.Count > 0)
        {
            await FeedStore.ApplyAsync(s, changed, change, now, ct);
            await feed.PublishAsync(s, [new FeedSignal(caller.Project.Id, caller.User.Id, channelId, FeedSignal.Updated, changed)], ct);
        }
        return null;
    }
}
