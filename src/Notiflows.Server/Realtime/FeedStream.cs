using System.Text;
using System.Text.Json;
using Notiflows.Server.Api.User;
using Notiflows.Server.Auth;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Storage.Database;
using Notiflows.Storage.Feed;

namespace Notiflows.Server.Realtime;

/// <summary>
/// Server-Sent Events of one feed (§15.2): <c>GET /user/v1/channels/{channel_id}/feed/stream</c>. Authenticated like the
/// User API before the stream starts (credentials may come as query parameters, §3.6). The stream opens with
/// <c>retry</c> and the counts, replays what a reconnecting client missed (<c>Last-Event-ID</c>), then carries the
/// hub's events with a <c>: ping</c> every 15 s, and ends with an <c>error</c> event when the credentials expire or
/// are revoked — a reason the client acts on instead of reconnecting with the same credentials.
/// </summary>
public static class FeedStream
{
    public const int MaxConnectionsPerUser = 20;
    public const int MaxReplay = 100;
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);

    public static void MapFeedStream(this IEndpointRouteBuilder app) =>
        app.MapGet("/user/v1/channels/{channel_id}/feed/stream", StreamAsync).WithTags("User API").WithName("UserFeedStream")
            .WithSummary("Server-Sent Events of the current user's feed in an in-app channel.");

    private static async Task StreamAsync(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "channel_id")] string channelId, HttpContext http, UserAuth auth, FeedHub hub, Db db,
        TimeProvider time)
    {
        var ct = http.RequestAborted;
        var (caller, error) = await auth.AuthenticateAsync(http, allowQuery: true, ct);
        if (error is null)
        {
            (_, error) = await db.ReadAsync(s => UserChannels.FindAsync(s, caller!.Project.Id, channelId, inApp: true, ct), ct);
        }
        if (error is null && hub.ConnectionsOf(caller!.User.Id) >= MaxConnectionsPerUser)
        {
            error = ApiError.RateLimited(1, MaxConnectionsPerUser, "Too many realtime connections for this user");
        }
        if (error is not null)
        {
            await error.ExecuteAsync(http);
            return;
        }
        var channel = Guid.Parse(channelId);
        // Heartbeats count from the start of the stream, whatever the time it takes to write its opening.
        var opened = time.GetUtcNow();
        var connection = FeedConnection.For(caller!.Project, caller.User, caller.KeyExpiresAt);
        hub.Open(connection);
        hub.Follow(connection, channel);
        try
        {
            http.Response.StatusCode = 200;
            http.Response.ContentType = "text/event-stream";
            http.Response.Headers.CacheControl = "no-cache";
            http.Response.Headers["X-Accel-Buffering"] = "no";
            await WriteAsync(http, "retry: 3000\n\n", ct);
            await WriteEventAsync(http, await hub.CountsEventAsync(caller.User.Id, channel, ct), ct);
            var lastEventId = http.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } h ? h : http.Request.Query["last_event_id"].ToString();
            if (lastEventId.Length > 0)
            {
                foreach (var e in await ReplayAsync(db, caller.User.Id, channel, lastEventId, ct))
                {
                    await WriteEventAsync(http, e, ct);
                }
            }
            await http.Response.Body.FlushAsync(ct);
            var reason = await PumpAsync(http, connection, caller, auth, time, opened, ct);
            if (reason is not null)
            {
                await WriteEventAsync(http, new FeedEvent(channel, "error", null,
                    JsonSerializer.Serialize(new { code = "unauthenticated", reason })), ct);
                await http.Response.Body.FlushAsync(ct);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away.
        }
        finally
        {
            hub.Close(connection);
        }
    }

    /// <summary>
    /// Writes the connection's events as they come, a ping every <see cref="Heartbeat"/>; returns why the credentials stopped
    /// being valid, or null when the client left. Credentials are re-checked at each heartbeat, and the user key's expiry
    /// is waited for precisely.
    /// </summary>
    private static async Task<string?> PumpAsync(
        HttpContext http, FeedConnection connection, UserCaller caller, UserAuth auth, TimeProvider time, DateTimeOffset opened, CancellationToken ct)
    {
        var publicKey = UserAuth.PublicKeyOf(http, allowQuery: true);
        var nextBeat = opened + Heartbeat;
        while (!ct.IsCancellationRequested)
        {
            var woke = await connection.WaitAsync(nextBeat, caller.KeyExpiresAt, time, null, ct);
            if (woke == FeedWake.Ended)
            {
                return connection.RevokedReason ?? "credentials_revoked";
            }
            if (woke == FeedWake.Events)
            {
                foreach (var e in connection.Drain())
                {
                    await WriteEventAsync(http, e, ct);
                }
                await http.Response.Body.FlushAsync(ct);
                continue;
            }
            ct.ThrowIfCancellationRequested();
            if (await auth.RevalidateAsync(caller, publicKey, ct) is { } reason)
            {
                return reason;
            }
            if (time.GetUtcNow() >= nextBeat)
            {
                // The next beat is due one interval after this one was due, not after the write: reading the clock
                // after the write would let the beat drift by however long the write took.
                nextBeat += Heartbeat;
                await WriteAsync(http, ": ping\n\n", ct);
                await http.Response.Body.FlushAsync(ct);
            }
        }
        return null;
    }

    /// <summary>The missed <c>delivery.created</c> events after <paramref name="lastEventId"/>, or one <c>resync</c>.</summary>
    public static async Task<IReadOnlyList<FeedEvent>> ReplayAsync(Db db, Guid userId, Guid channelId, string lastEventId, CancellationToken ct)
    {
        if (!Guid.TryParse(lastEventId, out var lastId))
        {
            return [FeedEvent.Resync(channelId)];
        }
        var entries = await db.ReadAsync(s => FeedStore.ReplayAsync(s, userId, channelId, lastId, MaxReplay + 1, ct), ct);
        if (entries is null || entries.Count > MaxReplay)
        {
            return [FeedEvent.Resync(channelId)];
        }
        return entries.Select(e => new FeedEvent(channelId, "delivery.created", e.Id,
            JsonSerializer.Serialize(new { entry = FeedEntryResponse.From(e) }, JsonDefaults.Options))).ToList();
    }

    private static Task WriteEventAsync(HttpContext http, FeedEvent e, CancellationToken ct)
    {
        var text = new StringBuilder().Append("event: ").Append(e.Name).Append('\n');
        if (e.Id is { } id)
        {
            text.Append("id: ").Append(id).Append('\n');
        }
        text.Append("data: ").Append(e.Data).Append("\n\n");
        return WriteAsync(http, text.ToString(), ct);
    }

    private static Task WriteAsync(HttpContext http, string text, CancellationToken ct) =>
        http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), ct).AsTask();
}
