using Notiflows.Storage.Database;

namespace Notiflows.Storage.Users;

/// <summary>
/// SQL for a user's channel settings (§5.6) and web-push channel subscriptions (§5.7). Writers lock the user row first
/// (<see cref="UserStore.LockByExternalIdsAsync"/>), which serialises the writes of one user.
/// </summary>
public static class ChannelSettingsStore
{
    private const string SettingsColumns = "user_id, channel_id, project_id, settings, created_at, updated_at";
    private const string SubscriptionColumns = "id, project_id, user_id, channel_id, identifier, settings, created_at, updated_at";

    public static Task<ChannelSettingsRow?> GetAsync(DbSession s, Guid userId, Guid channelId, CancellationToken ct) =>
        s.QueryOneAsync<ChannelSettingsRow>(
            $"SELECT {SettingsColumns} FROM channel_settings WHERE user_id = @userId AND channel_id = @channelId", new { userId, channelId }, ct);

    /// <summary>Replaces the settings blob (updated_at moves only when it changed); returns the row and whether it was created.</summary>
    public static async Task<(ChannelSettingsRow Row, bool Created)> UpsertAsync(
        DbSession s, Guid projectId, Guid userId, Guid channelId, string settings, DateTimeOffset now, CancellationToken ct)
    {
        if (await GetAsync(s, userId, channelId, ct) is { } row)
        {
            if (row.Settings != settings)
            {
                row.Settings = settings;
                row.UpdatedAt = now;
                await s.ExecuteAsync("UPDATE channel_settings SET settings = @Settings, updated_at = @UpdatedAt WHERE user_id = @UserId AND channel_id = @ChannelId",
                    row, ct);
            }
            return (row, false);
        }
        row = new ChannelSettingsRow { UserId = userId, ChannelId = channelId, ProjectId = projectId, Settings = settings, CreatedAt = now, UpdatedAt = now };
        await s.ExecuteAsync($"""
            INSERT INTO channel_settings ({SettingsColumns}) VALUES (@UserId, @ChannelId, @ProjectId, @Settings, @CreatedAt, @UpdatedAt)
            """, row, ct);
        return (row, true);
    }

    public static Task<int> DeleteAsync(DbSession s, Guid userId, Guid channelId, CancellationToken ct) =>
        s.ExecuteAsync("DELETE FROM channel_settings WHERE user_id = @userId AND channel_id = @channelId", new { userId, channelId }, ct);

    /// <summary>Every user's settings and subscriptions of a channel (the channel is being deleted, §8.7).</summary>
    public static async Task DeleteForChannelAsync(DbSession s, Guid channelId, CancellationToken ct)
    {
        await s.ExecuteAsync("DELETE FROM channel_settings WHERE channel_id = @channelId", new { channelId }, ct);
        await s.ExecuteAsync("DELETE FROM channel_subscriptions WHERE channel_id = @channelId", new { channelId }, ct);
    }

    /// <summary>The user's subscriptions on a channel, newest first.</summary>
    public static Task<IReadOnlyList<ChannelSubscriptionRow>> ListSubscriptionsAsync(DbSession s, Guid userId, Guid channelId, CancellationToken ct) =>
        s.QueryAsync<ChannelSubscriptionRow>(
            $"SELECT {SubscriptionColumns} FROM channel_subscriptions WHERE user_id = @userId AND channel_id = @channelId ORDER BY id DESC",
            new { userId, channelId }, ct);

    public static Task<ChannelSubscriptionRow?> GetSubscriptionAsync(DbSession s, Guid userId, Guid channelId, string identifier, CancellationToken ct) =>
        s.QueryOneAsync<ChannelSubscriptionRow>(
            $"SELECT {SubscriptionColumns} FROM channel_subscriptions WHERE user_id = @userId AND channel_id = @channelId AND identifier = @identifier",
            new { userId, channelId, identifier }, ct);

    public static Task<long> CountSubscriptionsAsync(DbSession s, Guid userId, Guid channelId, CancellationToken ct) =>
        s.ScalarAsync<long>("SELECT COUNT(*) FROM channel_subscriptions WHERE user_id = @userId AND channel_id = @channelId", new { userId, channelId }, ct);

    public static Task<int> InsertSubscriptionAsync(DbSession s, ChannelSubscriptionRow row, CancellationToken ct) =>
        s.ExecuteAsync($"""
            INSERT INTO channel_subscriptions ({SubscriptionColumns})
            VALUES (@Id, @ProjectId, @UserId, @ChannelId, @Identifier, @Settings, @CreatedAt, @UpdatedAt)
            """, row, ct);

    public static Task<int> UpdateSubscriptionAsync(DbSession s, ChannelSubscriptionRow row, CancellationToken ct) =>
        s.ExecuteAsync("UPDATE channel_subscriptions SET settings = @Settings, updated_at = @UpdatedAt WHERE id = @Id", row, ct);

    public static Task<int> DeleteSubscriptionAsync(DbSession s, Guid userId, Guid channelId, string identifier, CancellationToken ct) =>
        s.ExecuteAsync("DELETE FROM channel_subscriptions WHERE user_id = @userId AND channel_id = @channelId AND identifier = @identifier",
            new { userId, channelId, identifier }, ct);
}
