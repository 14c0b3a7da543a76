using Notiflows.Storage.Database;

namespace Notiflows.Storage.Channels;

/// <summary>SQL for channels.</summary>
public static class ChannelStore
{
    private const string Columns =
        "id, project_id, handle, name, type, provider, is_default, built_in, config, secrets, fallback_channel, created_at, updated_at";

    public static Task<int> InsertAsync(DbSession s, ChannelRow c, CancellationToken ct) =>
        s.ExecuteAsync($"""
            INSERT INTO channels ({Columns})
            VALUES (@Id, @ProjectId, @Handle, @Name, @Type, @Provider, @IsDefault, @BuiltIn, @Config, @Secrets, @FallbackChannel, @CreatedAt, @UpdatedAt)
            """, c, ct);

    public static Task<int> UpdateAsync(DbSession s, ChannelRow c, CancellationToken ct) =>
        s.ExecuteAsync("""
            UPDATE channels SET name = @Name, provider = @Provider, is_default = @IsDefault, config = @Config, secrets = @Secrets,
                   fallback_channel = @FallbackChannel, updated_at = @UpdatedAt
            WHERE id = @Id
            """, c, ct);

    /// <summary>
    /// Serialises channel writes of one project (PostgreSQL; SQLite has a single writer anyway), so rules that span
    /// several rows — one default per type, fallbacks without chains, unique handles — hold under concurrent requests.
    /// </summary>
    public static Task<int> LockProjectAsync(DbSession s, Guid projectId, CancellationToken ct) =>
        s.Kind == DbKind.Postgres
            ? s.ExecuteAsync("SELECT 1 FROM projects WHERE id = @projectId FOR UPDATE", new { projectId }, ct)
            : Task.FromResult(0);

    public static Task<int> DeleteAsync(DbSession s, Guid id, CancellationToken ct) =>
        s.ExecuteAsync("DELETE FROM channels WHERE id = @id", new { id }, ct);

    public static Task<ChannelRow?> GetByHandleAsync(DbSession s, Guid projectId, string handle, CancellationToken ct) =>
        s.QueryOneAsync<ChannelRow>(
            $"SELECT {Columns} FROM channels WHERE project_id = @projectId AND handle = @handle{s.ForUpdate}", new { projectId, handle }, ct);

    public static Task<ChannelRow?> GetByIdAsync(DbSession s, Guid projectId, Guid id, CancellationToken ct) =>
        s.QueryOneAsync<ChannelRow>(
            $"SELECT {Columns} FROM channels WHERE project_id = @projectId AND id = @id{s.ForUpdate}", new { projectId, id }, ct);

    /// <summary>A channel by id in any project: inbound provider events (§14.4) name the channel, not the project.</summary>
    public static Task<ChannelRow?> FindAnyAsync(DbSession s, Guid id, CancellationToken ct) =>
        s.QueryOneAsync<ChannelRow>($"SELECT {Columns} FROM channels WHERE id = @id", new { id }, ct);

    /// <summary>Every channel of the project, ordered by handle.</summary>
    public static Task<IReadOnlyList<ChannelRow>> AllAsync(DbSession s, Guid projectId, CancellationToken ct) =>
        s.QueryAsync<ChannelRow>($"SELECT {Columns} FROM channels WHERE project_id = @projectId ORDER BY {ByHandle(s)}", new { projectId }, ct);

    public static Task<IReadOnlyList<ChannelRow>> ListAsync(
        DbSession s, Guid projectId, string? type, int offset, int limit, CancellationToken ct) =>
        s.QueryAsync<ChannelRow>(
            $"SELECT {Columns} FROM channels WHERE project_id = @projectId AND (@type IS NULL OR type = @type) ORDER BY {ByHandle(s)} LIMIT @limit OFFSET @offset",
            new { projectId, type, limit, offset }, ct);

    /// <summary>
    /// Handle order is byte order on both databases: a PostgreSQL database with a linguistic collation (e.g. en_US)
    /// would otherwise ignore the dashes and list "webhook-sandbox" before "web-push-sandbox", unlike SQLite.
    /// </summary>
    private static string ByHandle(DbSession s) => s.Kind == DbKind.Postgres ? "handle COLLATE \"C\"" : "handle";

    public static Task<long> CountAsync(DbSession s, Guid projectId, string? type, CancellationToken ct) =>
        s.ScalarAsync<long>(
            "SELECT COUNT(*) FROM channels WHERE project_id = @projectId AND (@type IS NULL OR type = @type)", new { projectId, type }, ct);

    public static Task<int> ClearDefaultAsync(DbSession s, Guid projectId, string type, DateTimeOffset now, CancellationToken ct) =>
        s.ExecuteAsync(
            "UPDATE channels SET is_default = FALSE, updated_at = @now WHERE project_id = @projectId AND type = @type AND is_default = TRUE",
            new { projectId, type, now }, ct);

    /// <summary>Makes the oldest channel of a type the default (after the default was deleted).</summary>
    public static Task<int> PromoteOldestAsync(DbSession s, Guid projectId, string type, DateTimeOffset now, CancellationToken ct) =>
        s.ExecuteAsync("""
            UPDATE channels SET is_default = TRUE, updated_at = @now
            WHERE id = (SELECT id FROM channels WHERE project_id = @projectId AND type = @type ORDER BY created_at, id LIMIT 1)
            """, new { projectId, type, now }, ct);
}
