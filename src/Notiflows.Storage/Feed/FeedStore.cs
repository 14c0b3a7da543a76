using Notiflows.Core.Feed;
using Notiflows.Storage.Database;

namespace Notiflows.Storage.Feed;

/// <summary>A feed entry (§5.16): an in-app delivery that was sent, with its actor's summary (§5.2).</summary>
public sealed class FeedEntryRow
{
    public Guid Id { get; init; }
    public Guid ChannelId { get; init; }
    public Guid NotiflowId { get; init; }
    public Guid NotificationId { get; init; }
    public Guid RecipientId { get; init; }
    public string? Topic { get; init; }
    public string Data { get; init; } = "{}";
    public Guid? ActorId { get; init; }
    /// <summary>Null when the actor was deleted (the entry then shows its tombstone).</summary>
    public string? ActorExternalId { get; init; }
    public string? ActorFirstName { get; init; }
    public string? ActorLastName { get; init; }
    public string? ActorEmail { get; init; }
    public string? ActorAvatar { get; init; }
    public DateTimeOffset? SentAt { get; init; }
    public DateTimeOffset? SeenAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
    public DateTimeOffset? ClickedAt { get; set; }
    public DateTimeOffset? ArchivedAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The engagement timestamps (§5.16).</summary>
    public FeedState State => new(SeenAt, ReadAt, ClickedAt, ArchivedAt);

    /// <summary>Moves the entry to <paramref name="state"/>; returns false (and leaves <see cref="UpdatedAt"/>) when that is no change.</summary>
    public bool MoveTo(FeedState state, DateTimeOffset now)
    {
        if (state == State)
        {
            return false;
        }
        (SeenAt, ReadAt, ClickedAt, ArchivedAt, UpdatedAt) = (state.SeenAt, state.ReadAt, state.ClickedAt, state.ArchivedAt, now);
        return true;
    }
}

/// <summary>The badge counts of one user's feed in one channel (§7.2, §15.1): non-archived entries only.</summary>
public sealed class FeedCountsRow
{
    public long TotalCount { get; init; }
    public long TotalUnread { get; init; }
    public long TotalUnseen { get; init; }
}

/// <summary>SQL for feeds: the entries of a (user, channel) are its in-app deliveries that were sent.</summary>
public static class FeedStore
{
    /// <summary>The condition that makes a delivery (alias <c>d</c>) a feed entry.</summary>
    public const string IsEntry = "d.channel_type = 'in_app' AND d.status IN ('sent', 'delivered')";

    public const string Select = $"""
        SELECT d.id, d.channel_id, d.notiflow_id, d.notification_id, d.recipient_id, d.topic, d.data, d.actor_id,
               a.external_id AS actor_external_id, a.first_name AS actor_first_name, a.last_name AS actor_last_name,
               a.email AS actor_email, a.avatar AS actor_avatar,
               d.sent_at, d.seen_at, d.read_at, d.clicked_at, d.archived_at, d.created_at, d.updated_at
        FROM deliveries d LEFT JOIN users a ON a.id = d.actor_id
        """;

    /// <summary>The entries among <paramref name="ids"/> (any user, any channel: callers check ownership).</summary>
    public static Task<IReadOnlyList<FeedEntryRow>> GetAsync(DbSession s, IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        s.QueryAsync<FeedEntryRow>($"{Select} WHERE {s.In("d.id", "@ids")} AND {IsEntry}", new { ids = s.Ids(ids) }, ct);

    /// <summary>
    /// The entries among <paramref name="ids"/> of this user in this channel, in id order; locked (on PostgreSQL) when
    /// <paramref name="lockRows"/>, in that order, so concurrent batches wait for each other instead of deadlocking.
    /// </summary>
    public static Task<IReadOnlyList<FeedEntryRow>> OwnedAsync(
        DbSession s, Guid userId, Guid channelId, IReadOnlyCollection<Guid> ids, bool lockRows, CancellationToken ct) =>
        s.QueryAsync<FeedEntryRow>($"""
            {Select}
            WHERE {s.In("d.id", "@ids")} AND d.recipient_id = @userId AND d.channel_id = @channelId AND {IsEntry}
            ORDER BY d.id{(lockRows ? s.ForUpdateOf("d") : "")}
            """, new { ids = s.Ids(ids), userId, channelId }, ct);

    /// <summary>Applies <paramref name="change"/> to the entries <paramref name="ids"/> (the caller locked them and knows each changes).</summary>
    public static Task<int> ApplyAsync(DbSession s, IReadOnlyCollection<Guid> ids, FeedChange change, DateTimeOffset now, CancellationToken ct) =>
        s.ExecuteAsync($"UPDATE deliveries SET {Assignments(change)} WHERE {s.In("id", "@ids")}", new { ids = s.Ids(ids), now }, ct);

    /// <summary>
    /// Applies <paramref name="change"/> (only setting flags) to every non-archived entry of the user in the channel that it
    /// changes (§7.1 mark-all); returns how many changed.
    /// </summary>
    public static Task<int> MarkAllAsync(DbSession s, Guid userId, Guid channelId, FeedChange change, DateTimeOffset now, CancellationToken ct)
    {
        // Archiving changes every non-archived entry; otherwise only those with a requested timestamp still unset.
        var unset = new[] { (change.Seen, "d.seen_at IS NULL"), (change.Read, "d.read_at IS NULL"), (change.Clicked, "d.clicked_at IS NULL") }
            .Where(c => c.Item1 == true).Select(c => c.Item2).ToList();
        var changes = change.Archived == true || unset.Count == 0 ? "" : $" AND ({string.Join(" OR ", unset)})";
        return s.ExecuteAsync($"""
            UPDATE deliveries SET {Assignments(change)} WHERE id IN (
                SELECT d.id FROM deliveries d
                WHERE d.recipient_id = @userId AND d.channel_id = @channelId AND {IsEntry} AND d.archived_at IS NULL{changes})
            """, new { userId, channelId, now }, ct);
    }

    /// <summary>The <c>SET</c> list of a change: timestamps set once (never overwritten), archived set or cleared, and updated_at.</summary>
    private static string Assignments(FeedChange change) => string.Concat(
        change.Seen == true ? "seen_at = COALESCE(seen_at, @now), " : "",
        change.Read == true ? "read_at = COALESCE(read_at, @now), " : "",
        change.Clicked == true ? "clicked_at = COALESCE(clicked_at, @now), " : "",
        change.Archived switch { true => "archived_at = COALESCE(archived_at, @now), ", false => "archived_at = NULL, ", null => "" },
        "updated_at = @now");

    public static async Task<FeedCountsRow> CountsAsync(DbSession s, Guid userId, Guid channelId, CancellationToken ct) =>
        await s.QueryOneAsync<FeedCountsRow>($"""
            SELECT COUNT(*) AS total_count,
                   COALESCE(SUM(CASE WHEN d.read_at IS NULL THEN 1 ELSE 0 END), 0) AS total_unread,
                   COALESCE(SUM(CASE WHEN d.seen_at IS NULL THEN 1 ELSE 0 END), 0) AS total_unseen
            FROM deliveries d
            WHERE d.recipient_id = @userId AND d.channel_id = @channelId AND {IsEntry} AND d.archived_at IS NULL
            """, new { userId, channelId }, ct) ?? new FeedCountsRow();

    /// <summary>
    /// The entries to replay after <paramref name="lastId"/> (§15.2): sent at or after the referenced entry's send time
    /// minus 10 s, oldest first, without the referenced entry; at most <paramref name="limit"/>. Null when the id is not an
    /// entry of this user and channel.
    /// </summary>
    public static async Task<IReadOnlyList<FeedEntryRow>?> ReplayAsync(
        DbSession s, Guid userId, Guid channelId, Guid lastId, int limit, CancellationToken ct)
    {
        var reference = await s.QueryOneAsync<FeedEntryRow>(
            $"{Select} WHERE d.id = @lastId AND d.recipient_id = @userId AND d.channel_id = @channelId AND {IsEntry}", new { lastId, userId, channelId }, ct);
        if (reference?.SentAt is not { } sentAt)
        {
            return null;
        }
        return await s.QueryAsync<FeedEntryRow>($"""
            {Select}
            WHERE d.recipient_id = @userId AND d.channel_id = @channelId AND {IsEntry} AND d.sent_at >= @from AND d.id <> @lastId
            ORDER BY d.sent_at, d.id LIMIT @limit
            """, new { userId, channelId, lastId, from = sentAt.AddSeconds(-10), limit }, ct);
    }
}
