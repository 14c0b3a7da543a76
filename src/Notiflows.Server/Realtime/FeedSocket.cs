using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Notiflows.Server.Api.User;
using Notiflows.Server.Auth;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Realtime;

/// <summary>
/// The WebSocket protocol of §15.3 at <c>/ws/v1</c>: authenticated like the User API before the upgrade; then JSON text
/// frames — <c>subscribe</c>/<c>unsubscribe</c> to in-app channels (with <c>since</c> to resume), <c>ping</c>/<c>pong</c> —
/// and the hub's events. The server pings every 30 s and closes: 4000 <c>idle</c> after 90 s of client silence, 4401
/// <c>token_expired</c> / <c>credentials_revoked</c> (clients get new credentials before reconnecting), 1001 on shutdown.
/// </summary>
public sealed class FeedSocket(UserAuth auth, FeedHub hub, Db db, TimeProvider time, IHostApplicationLifetime lifetime)
{
    public const int MaxChannels = 20;
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(90);
    private const int MaxMessageBytes = 16 * 1024;

    public static void Map(IEndpointRouteBuilder app) =>
        app.Map("/ws/v1", (HttpContext http, FeedSocket socket) => socket.AcceptAsync(http)).WithTags("User API").WithName("UserWebSocket")
            .WithSummary("The realtime WebSocket (§15.3).");

    public async Task AcceptAsync(HttpContext http)
    {
        var ct = http.RequestAborted;
        var (caller, error) = await auth.AuthenticateAsync(http, allowQuery: true, ct);
        if (error is null && !http.WebSockets.IsWebSocketRequest)
        {
            error = ApiError.BadRequest("invalid_param", "Upgrade", "A WebSocket upgrade is required");
        }
        if (error is null && hub.ConnectionsOf(caller!.User.Id) >= FeedStream.MaxConnectionsPerUser)
        {
            error = ApiError.RateLimited(1, FeedStream.MaxConnectionsPerUser, "Too many realtime connections for this user");
        }
        if (error is not null)
        {
            await error.ExecuteAsync(http);
            return;
        }
        using var socket = await http.WebSockets.AcceptWebSocketAsync();
        var connection = FeedConnection.For(caller!.Project, caller.User, caller.KeyExpiresAt);
        hub.Open(connection);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, lifetime.ApplicationStopping);
        var session = new Session(socket, connection, caller, UserAuth.PublicKeyOf(http, allowQuery: true), time.GetUtcNow());
        try
        {
            await session.SendAsync(new JsonObject
            {
                ["type"] = "connected", ["connection_id"] = connection.Id.ToString(),
                ["user"] = new JsonObject { ["external_id"] = caller.User.ExternalId }, ["heartbeat_interval_ms"] = (int)Heartbeat.TotalMilliseconds,
            }, stop.Token);
            var receiving = ReceiveAsync(session, stop.Token);
            var (status, reason) = await PumpAsync(session, receiving, stop.Token);
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(status, reason, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or TimeoutException)
        {
            // The client went away, or the server is stopping and the close could not be sent.
        }
        finally
        {
            hub.Close(connection);
        }
    }

    /// <summary>Sends the hub's events and pings until the client leaves or a close is due; returns the close to send.</summary>
    private async Task<(WebSocketCloseStatus, string)> PumpAsync(Session session, Task receiving, CancellationToken ct)
    {
        var connection = session.Connection;
        var nextPing = session.Opened + Heartbeat;
        var pings = 0;
        while (true)
        {
            if (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                return (WebSocketCloseStatus.EndpointUnavailable, "shutdown");
            }
            var woke = await connection.WaitAsync(Min(nextPing, session.LastHeard + IdleLimit), session.Caller.KeyExpiresAt, time, receiving, ct);
            if (woke == FeedWake.Other)
            {
                return (WebSocketCloseStatus.NormalClosure, "");
            }
            if (woke == FeedWake.Ended)
            {
                return ((WebSocketCloseStatus)4401, connection.RevokedReason ?? "credentials_revoked");
            }
            if (woke == FeedWake.Events)
            {
                foreach (var e in connection.Drain())
                {
                    await session.SendAsync(EventMessage(e), ct);
                }
                continue;
            }
            ct.ThrowIfCancellationRequested();
            var now = time.GetUtcNow();
            if (now >= session.LastHeard + IdleLimit)
            {
                return ((WebSocketCloseStatus)4000, "idle");
            }
            if (await auth.RevalidateAsync(session.Caller, session.PublicKey, ct) is { } reason)
            {
                return ((WebSocketCloseStatus)4401, reason);
            }
            if (now >= nextPing)
            {
                nextPing += Heartbeat; // one interval after this ping was due, whatever the send takes
                await session.SendAsync(new JsonObject { ["type"] = "ping", ["id"] = $"p{++pings}" }, ct);
            }
        }
    }

    /// <summary>Reads and answers client messages until the client closes or the connection fails.</summary>
    private async Task ReceiveAsync(Session session, CancellationToken ct)
    {
        var buffer = new byte[MaxMessageBytes];
        try
        {
            while (session.Socket.State == WebSocketState.Open)
            {
                var (text, closed) = await ReadMessageAsync(session.Socket, buffer, ct);
                if (closed)
                {
                    return;
                }
                session.LastHeard = time.GetUtcNow();
                await HandleAsync(session, text, ct);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // Closed or cancelled: the pump ends the connection.
        }
    }

    private static async Task<(string? Text, bool Closed)> ReadMessageAsync(WebSocket socket, byte[] buffer, CancellationToken ct)
    {
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(Math.Min(length, buffer.Length - 1)), ct);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (null, true);
            }
            length = Math.Min(length + result.Count, buffer.Length);
            if (result.EndOfMessage)
            {
                // A message larger than the buffer is cut off and fails to parse: answered with an error, like invalid JSON.
                return (result.MessageType == WebSocketMessageType.Text ? Encoding.UTF8.GetString(buffer, 0, length) : null, false);
            }
        }
    }

    private async Task HandleAsync(Session session, string? text, CancellationToken ct)
    {
        JsonObject? message = null;
        try
        {
            message = text is null ? null : JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            // Answered below.
        }
        var id = message?["id"]?.DeepClone();
        if (message?["type"] is not JsonValue typeValue || !typeValue.TryGetValue<string>(out var type))
        {
            await session.SendAsync(ErrorMessage(id, ApiError.BadRequest("invalid_json", message: "Messages must be JSON objects with a type")), ct);
            return;
        }
        switch (type)
        {
            case "ping":
                await session.SendAsync(new JsonObject { ["type"] = "pong", ["id"] = id }, ct);
                return;
            case "pong":
                return;
            case "subscribe" or "unsubscribe":
                var channelParam = message["channel_id"] is JsonValue c && c.TryGetValue<string>(out var cs) ? cs : "";
                var (channel, error) = await db.ReadAsync(s => UserChannels.FindAsync(s, session.Caller.Project.Id, channelParam, inApp: true, ct), ct);
                if (error is not null)
                {
                    await session.SendAsync(ErrorMessage(id, error), ct);
                    return;
                }
                if (type == "unsubscribe")
                {
                    hub.Unfollow(session.Connection, channel!.Id);
                    await session.SendAsync(new JsonObject { ["type"] = "unsubscribed", ["id"] = id, ["channel_id"] = channel.Id.ToString() }, ct);
                    return;
                }
                await SubscribeAsync(session, channel!.Id, id, message["since"] is JsonValue since && since.TryGetValue<string>(out var sv) ? sv : null, ct);
                return;
            default:
                await session.SendAsync(ErrorMessage(id, ApiError.BadRequest("invalid_param", "type", $"Unknown message type '{type}'")), ct);
                return;
        }
    }

    private async Task SubscribeAsync(Session session, Guid channelId, JsonNode? id, string? since, CancellationToken ct)
    {
        if (!session.Connection.Channels.Contains(channelId) && session.Connection.Channels.Count >= MaxChannels)
        {
            await session.SendAsync(ErrorMessage(id, ApiError.BadRequest("invalid_param", "channel_id", $"At most {MaxChannels} channel subscriptions per connection")), ct);
            return;
        }
        // Follow first, then read the counts and the replay: an entry created in between is sent twice at worst, never lost.
        hub.Follow(session.Connection, channelId);
        var counts = await hub.CountsEventAsync(session.Caller.User.Id, channelId, ct);
        await session.SendAsync(new JsonObject
        {
            ["type"] = "subscribed", ["id"] = id?.DeepClone(), ["channel_id"] = channelId.ToString(), ["counts"] = JsonNode.Parse(counts.Data),
        }, ct);
        if (since is not null)
        {
            foreach (var e in await FeedStream.ReplayAsync(db, session.Caller.User.Id, channelId, since, ct))
            {
                await session.SendAsync(EventMessage(e), ct);
            }
        }
    }

    private static JsonObject EventMessage(FeedEvent e) => new()
    {
        ["type"] = "event", ["event"] = e.Name, ["channel_id"] = e.ChannelId.ToString(), ["data"] = JsonNode.Parse(e.Data),
    };

    private static JsonObject ErrorMessage(JsonNode? id, ApiError error) => new()
    {
        ["type"] = "error", ["id"] = id?.DeepClone(),
        ["error"] = new JsonObject
        {
            ["code"] = error.Code, ["message"] = error.Message, ["status"] = error.Status,
            ["details"] = JsonSerializer.SerializeToNode(error.Details, JsonDefaults.Options),
        },
    };

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>One open socket: sends are serialised (the pump and the receiver both answer).</summary>
    private sealed class Session(WebSocket socket, FeedConnection connection, UserCaller caller, string publicKey, DateTimeOffset opened)
    {
        private readonly SemaphoreSlim _send = new(1, 1);

        public WebSocket Socket => socket;
        public FeedConnection Connection => connection;
        public UserCaller Caller => caller;
        public string PublicKey => publicKey;
        public DateTimeOffset Opened { get; } = opened;

        public DateTimeOffset LastHeard { get; set; } = opened;

        public async Task SendAsync(JsonObject message, CancellationToken ct)
        {
            var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
            await _send.WaitAsync(ct);
            try
            {
                await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, ct);
            }
            finally
            {
                _send.Release();
            }
        }
    }
}
