using System.Collections.Concurrent;
using System.Text.Json;
using System.Threading.Channels;
using Notiflows.Server.Api.User;
using Notiflows.Server.Auth;
using Notiflows.Server.Infrastructure;
using Notiflows.Storage.Database;
using Notiflows.Storage.Feed;
using Notiflows.Storage.Projects;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Realtime;

/// <summary>One event for a connection (§15.1): its channel, name, the SSE id (new entries only) and the JSON data.</summary>
public sealed record FeedEvent(Guid ChannelId, string Name, Guid? Id, string Data)
{
    public static FeedEvent Resync(Guid channelId) => new(channelId, "resync", null, "{}");
}

/// <summary>
/// The open realtime connections of this node, by user and channel, and the delivery of committed feed changes to them.
/// Signals are processed by a few partitions, a user always by the same one, so a user's events stay in commit order;
/// each signal is turned into events once (entries and counts read with one connection) and copied to every
/// connection of that user and channel. A connection that cannot keep up is told to resync instead of buffering.
/// </summary>
public sealed partial class FeedHub(Db db, ILogger<FeedHub> logger) : BackgroundService
{
    private const int Partitions = 4;
    private readonly Channel<FeedSignal>[] _partitions =
        Enumerable.Range(0, Partitions).Select(_ => Channel.CreateUnbounded<FeedSignal>(new UnboundedChannelOptions { SingleReader = true })).ToArray();
    private readonly ConcurrentDictionary<(Guid User, Guid Channel), ConcurrentDictionary<FeedConnection, byte>> _connections = new();
    private readonly ConcurrentDictionary<Guid, ConcurrentDictionary<FeedConnection, byte>> _byUser = new();

    /// <summary>How many connections are open on this node.</summary>
    public int ConnectionCount => _byUser.Values.Sum(c => c.Count);

    /// <summary>How many realtime connections <paramref name="userId"/> has open on this node (§4.6: at most 20).</summary>
    public int ConnectionsOf(Guid userId) => _byUser.TryGetValue(userId, out var set) ? set.Count : 0;

    /// <summary>Registers a connection of a user (for revocations) before it follows any channel.</summary>
    public void Open(FeedConnection connection) =>
        _byUser.GetOrAdd(connection.UserId, _ => new()).TryAdd(connection, 0);

    public void Close(FeedConnection connection)
    {
        if (_byUser.TryGetValue(connection.UserId, out var set))
        {
            set.TryRemove(connection, out _);
        }
        foreach (var channel in connection.Channels.ToList())
        {
            Unfollow(connection, channel);
        }
    }

    public void Follow(FeedConnection connection, Guid channelId)
    {
        connection.AddChannel(channelId);
        _connections.GetOrAdd((connection.UserId, channelId), _ => new()).TryAdd(connection, 0);
    }

    public void Unfollow(FeedConnection connection, Guid channelId)
    {
        connection.RemoveChannel(channelId);
        if (_connections.TryGetValue((connection.UserId, channelId), out var set))
        {
            set.TryRemove(connection, out _);
        }
    }

    /// <summary>Hands committed signals to their partitions; never blocks and never throws.</summary>
    public void Dispatch(IEnumerable<FeedSignal> signals)
    {
        foreach (var signal in signals)
        {
            _partitions[(signal.UserId.GetHashCode() & int.MaxValue) % Partitions].Writer.TryWrite(signal);
        }
    }

    /// <summary>Tells every connection of this node to re-fetch (changes may have been missed, e.g. while LISTEN was down).</summary>
    public void ResyncAll()
    {
        foreach (var connection in _byUser.Values.SelectMany(c => c.Keys))
        {
            foreach (var channel in connection.Channels.ToList())
            {
                connection.Send(FeedEvent.Resync(channel));
            }
        }
    }

    /// <summary>The current counts of a user's feed in a channel, as the event a connection starts with.</summary>
    public async Task<FeedEvent> CountsEventAsync(Guid userId, Guid channelId, CancellationToken ct) =>
        CountsEvent(channelId, await db.ReadAsync(s => FeedStore.CountsAsync(s, userId, channelId, ct), ct));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_partitions.Select(p => Task.Run(() => ConsumeAsync(p.Reader, stoppingToken), stoppingToken)));

    private async Task ConsumeAsync(ChannelReader<FeedSignal> reader, CancellationToken ct)
    {
        await foreach (var signal in reader.ReadAllAsync(ct))
        {
            try
            {
                await DeliverAsync(signal, ct);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                // The change is committed and the clients will see it on their next fetch; tell them to fetch now.
                LogDeliveryFailed(logger, ex, signal.UserId);
                foreach (var connection in Listeners(signal))
                {
                    connection.Send(FeedEvent.Resync(signal.ChannelId));
                }
            }
        }
    }

    private async Task DeliverAsync(FeedSignal signal, CancellationToken ct)
    {
        if (signal.Kind == FeedSignal.Revoked)
        {
            // A user (deleted; a user created again has a new id), or with an empty user id every user key of a project
            // verified by a key other than its current one (its signing key was replaced). The signal can arrive after a
            // client already connected with a key signed by the new signing key: that connection stays.
            List<FeedConnection> affected;
            if (signal.UserId == Guid.Empty)
            {
                var current = (await db.ReadAsync(s => ProjectStore.GetByIdAsync(s, signal.ProjectId, ct), ct))?.SigningPublicKeyPem;
                affected = [.. _byUser.Values.SelectMany(c => c.Keys)
                    .Where(c => c.ProjectId == signal.ProjectId && c.ByUserKey && (current is null || c.SigningKey != current))];
            }
            else
            {
                affected = _byUser.TryGetValue(signal.UserId, out var all) ? [.. all.Keys] : [];
            }
            foreach (var connection in affected)
            {
                connection.Revoke("credentials_revoked");
            }
            return;
        }
        var listeners = Listeners(signal);
        if (listeners.Count == 0)
        {
            return;
        }
        var (entries, counts) = await db.ReadAsync(async s =>
        {
            var rows = signal.Kind == FeedSignal.Resync || signal.EntryIds.Count == 0 ? [] : await FeedStore.GetAsync(s, signal.EntryIds, ct);
            return (rows, await FeedStore.CountsAsync(s, signal.UserId, signal.ChannelId, ct));
        }, ct);
        var events = new List<FeedEvent>(entries.Count + 2);
        foreach (var entry in entries.Where(e => e.RecipientId == signal.UserId && e.ChannelId == signal.ChannelId).OrderBy(e => e.Id))
        {
            var data = JsonSerializer.Serialize(new { entry = FeedEntryResponse.From(entry) }, JsonDefaults.Options);
            events.Add(new FeedEvent(signal.ChannelId, signal.Kind == FeedSignal.Created ? "delivery.created" : "delivery.updated",
                signal.Kind == FeedSignal.Created ? entry.Id : null, data));
        }
        events.Add(CountsEvent(signal.ChannelId, counts));
        if (signal.Kind == FeedSignal.Resync)
        {
            events.Add(FeedEvent.Resync(signal.ChannelId));
        }
        foreach (var connection in listeners)
        {
            foreach (var e in events)
            {
                connection.Send(e);
            }
        }
    }

    private List<FeedConnection> Listeners(FeedSignal signal) =>
        _connections.TryGetValue((signal.UserId, signal.ChannelId), out var set) ? [.. set.Keys] : [];

    private static FeedEvent CountsEvent(Guid channelId, FeedCountsRow counts) =>
        new(channelId, "counts", null, JsonSerializer.Serialize(FeedCounts.From(counts), JsonDefaults.Options));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not deliver a feed change to the connections of user {UserId}; they were told to resync")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception ex, Guid userId);
}

/// <summary>
/// One realtime connection (an SSE stream or a WebSocket) of a user: a bounded queue of events its writer drains.
/// When the queue is full the connection drops what it cannot hold and is sent <c>resync</c> once it catches up.
/// </summary>
public sealed class FeedConnection(Guid projectId, Guid userId, bool byUserKey, int capacity = 256)
{
    private readonly Channel<FeedEvent> _queue = Channel.CreateBounded<FeedEvent>(new BoundedChannelOptions(capacity)
    {
        SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite,
    });
    private int _overflowed;

    public Guid Id { get; } = Guid.NewGuid();
    public Guid ProjectId { get; } = projectId;
    public Guid UserId { get; } = userId;

    /// <summary>Authenticated with a user key (a new signing key revokes it), not a development-mode user id.</summary>
    public bool ByUserKey { get; } = byUserKey;

    /// <summary>The project signing key (public PEM) that verified the user key; null without a user key.</summary>
    public string? SigningKey { get; init; }

    /// <summary>A connection for an authenticated User API caller (<see cref="UserCaller"/>): with a user key when it expires.</summary>
    public static FeedConnection For(ProjectRow project, UserRow user, DateTimeOffset? keyExpiresAt) =>
        new(project.Id, user.Id, keyExpiresAt is not null) { SigningKey = keyExpiresAt is not null ? project.SigningPublicKeyPem : null };

    private readonly ConcurrentDictionary<Guid, byte> _channels = new();

    /// <summary>The channels this connection follows.</summary>
    public ICollection<Guid> Channels => _channels.Keys;

    internal bool AddChannel(Guid channelId) => _channels.TryAdd(channelId, 0);

    internal bool RemoveChannel(Guid channelId) => _channels.TryRemove(channelId, out _);

    /// <summary>Why the connection must end (<c>token_expired</c>, <c>credentials_revoked</c>), once that is known.</summary>
    public string? RevokedReason { get; private set; }

    public ChannelReader<FeedEvent> Events => _queue.Reader;

    public void Send(FeedEvent e)
    {
        if (!_queue.Writer.TryWrite(e))
        {
            Interlocked.Exchange(ref _overflowed, 1);
        }
    }

    /// <summary>True once after events were dropped: the writer then sends <c>resync</c>.</summary>
    private bool TakeOverflow() => Interlocked.Exchange(ref _overflowed, 0) == 1;

    /// <summary>
    /// What a connection's writer waits for: an event queued (<see cref="FeedWake.Events"/>), the queue ended because the
    /// connection was revoked (<see cref="FeedWake.Ended"/>), <paramref name="other"/> completed (the client left), or the
    /// wake-up time — <paramref name="wake"/>, or earlier the expiry of the user key (with leeway) — passed on
    /// <paramref name="time"/>. A wake-up time the clock passed while the timer was being set counts as due.
    /// </summary>
    public async Task<FeedWake> WaitAsync(DateTimeOffset wake, DateTimeOffset? keyExpiresAt, TimeProvider time, Task? other, CancellationToken ct)
    {
        if (keyExpiresAt is { } exp && exp != DateTimeOffset.MaxValue && exp + Core.Secrets.UserKeys.Leeway < wake)
        {
            wake = exp + Core.Secrets.UserKeys.Leeway;
        }
        var now = time.GetUtcNow();
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var waitForEvent = _queue.Reader.WaitToReadAsync(timer.Token).AsTask();
        var waitForTime = Task.Delay(wake > now ? wake - now : TimeSpan.Zero, time, timer.Token);
        if (time.GetUtcNow() >= wake)
        {
            // The clock passed the wake-up time while the timer was being set (it counts from when it is set): due now.
            waitForTime = Task.CompletedTask;
        }
        var first = await (other is null ? Task.WhenAny(waitForEvent, waitForTime) : Task.WhenAny(waitForEvent, waitForTime, other));
        await timer.CancelAsync();
        if (first == other)
        {
            return FeedWake.Other;
        }
        if (first == waitForEvent && !waitForEvent.IsCanceled)
        {
            return await waitForEvent ? FeedWake.Events : FeedWake.Ended;
        }
        return FeedWake.Time;
    }

    /// <summary>The queued events, then one <c>resync</c> per followed channel if events were dropped meanwhile.</summary>
    public List<FeedEvent> Drain()
    {
        var events = new List<FeedEvent>();
        while (_queue.Reader.TryRead(out var e))
        {
            events.Add(e);
        }
        if (TakeOverflow())
        {
            events.AddRange(Channels.Select(FeedEvent.Resync));
        }
        return events;
    }

    public void Revoke(string reason)
    {
        RevokedReason ??= reason;
        _queue.Writer.TryComplete();
    }
}

/// <summary>Why a connection's writer woke up (<see cref="FeedConnection.WaitAsync"/>).</summary>
public enum FeedWake
{
    Events,
    Ended,
    Other,
    Time,
}
