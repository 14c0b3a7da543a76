using Notiflows.Storage.Database;

namespace Notiflows.Storage.Users;

/// <summary>A notiflow as preferences show and resolve it (§5.8).</summary>
public sealed class PreferenceNotiflow
{
    public Guid Id { get; init; }
    public string Handle { get; init; } = "";
    public string Name { get; init; } = "";
    public bool IncludeInPreferences { get; init; }
}

/// <summary>SQL for user preferences (one JSON row per user, see <c>Notiflows.Core.Users.PreferenceSet</c>).</summary>
public static class PreferenceStore
{
    /// <summary>The stored preferences JSON, or null when the user never set any.</summary>
    public static Task<string?> GetAsync(DbSession s, Guid userId, CancellationToken ct) =>
        s.QueryOneAsync<string?>("SELECT preferences FROM user_preferences WHERE user_id = @userId", new { userId }, ct);

    /// <summary>
    /// The user's row, created empty when absent and then row-locked on PostgreSQL, so concurrent partial updates of one
    /// user apply one after the other (each reads what the previous one wrote).
    /// </summary>
    public static async Task<string> LockAsync(DbSession s, Guid projectId, Guid userId, string empty, DateTimeOffset now, CancellationToken ct)
    {
        await s.ExecuteAsync("""
            INSERT INTO user_preferences (user_id, project_id, preferences, updated_at) VALUES (@userId, @projectId, @empty, @now)
            ON CONFLICT (user_id) DO NOTHING
            """, new { userId, projectId, empty, now }, ct);
        return (await s.QueryOneAsync<string>($"SELECT preferences FROM user_preferences WHERE user_id = @userId{s.ForUpdate}", new { userId }, ct))!;
    }

    public static Task<int> UpdateAsync(DbSession s, Guid userId, string preferences, DateTimeOffset now, CancellationToken ct) =>
        s.ExecuteAsync("UPDATE user_preferences SET preferences = @preferences, updated_at = @now WHERE user_id = @userId",
            new { userId, preferences, now }, ct);

    /// <summary>What the response lists (§5.8): every notiflow not archived, with a published version and in preferences.</summary>
    public static Task<IReadOnlyList<PreferenceNotiflow>> ListedAsync(DbSession s, Guid projectId, CancellationToken ct) =>
        s.QueryAsync<PreferenceNotiflow>("""
            SELECT id, handle, name, include_in_preferences FROM notiflows
            WHERE project_id = @projectId AND archived_at IS NULL AND published_version_id IS NOT NULL AND include_in_preferences = @included
            ORDER BY handle
            """, new { projectId, included = true }, ct);

    /// <summary>The project's notiflows with one of these ids or handles (archived and unpublished ones included).</summary>
    public static Task<IReadOnlyList<PreferenceNotiflow>> FindAsync(
        DbSession s, Guid projectId, IReadOnlyCollection<Guid> ids, IReadOnlyCollection<string> handles, CancellationToken ct) =>
        s.QueryAsync<PreferenceNotiflow>($"""
            SELECT id, handle, name, include_in_preferences FROM notiflows
            WHERE project_id = @projectId AND ({s.In("id", "@ids")} OR {s.In("handle", "@handles")})
            """, new { projectId, ids = s.Ids(ids), handles = handles.ToList() }, ct);
}
