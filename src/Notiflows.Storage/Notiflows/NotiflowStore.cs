using Notiflows.Storage.Database;

namespace Notiflows.Storage.Notiflows;

/// <summary>SQL for notiflows and their versions.</summary>
public static class NotiflowStore
{
    private const string Columns = """
        id, project_id, handle, name, description, active, include_in_preferences, current_version_id, published_version_id,
        archived_at, created_at, updated_at
        """;

    private const string VersionColumns =
        "id, notiflow_id, version_number, status, sha, steps, published_at, created_by, published_by, inserted_at, updated_at";

    public static Task<int> InsertAsync(DbSession s, NotiflowRow n, CancellationToken ct) =>
        s.ExecuteAsync($"""
            INSERT INTO notiflows ({Columns})
            VALUES (@Id, @ProjectId, @Handle, @Name, @Description, @Active, @IncludeInPreferences, @CurrentVersionId, @PublishedVersionId,
                    @ArchivedAt, @CreatedAt, @UpdatedAt)
            """, n, ct);

    public static Task<int> UpdateAsync(DbSession s, NotiflowRow n, CancellationToken ct) =>
        s.ExecuteAsync("""
            UPDATE notiflows SET name = @Name, description = @Description, active = @Active, include_in_preferences = @IncludeInPreferences,
                   current_version_id = @CurrentVersionId, published_version_id = @PublishedVersionId, archived_at = @ArchivedAt,
                   updated_at = @UpdatedAt
            WHERE id = @Id
            """, n, ct);

    /// <summary>The notiflow by handle; inside a write it is row-locked unless <paramref name="lockRow"/> is false (runs only read it).</summary>
    public static Task<NotiflowRow?> GetByHandleAsync(DbSession s, Guid projectId, string handle, CancellationToken ct, bool lockRow = true) =>
        s.QueryOneAsync<NotiflowRow>(
            $"SELECT {Columns} FROM notiflows WHERE project_id = @projectId AND handle = @handle{(lockRow ? s.ForUpdate : "")}",
            new { projectId, handle }, ct);

    public static Task<NotiflowRow?> GetByIdAsync(DbSession s, Guid projectId, Guid id, CancellationToken ct, bool lockRow = true) =>
        s.QueryOneAsync<NotiflowRow>(
            $"SELECT {Columns} FROM notiflows WHERE project_id = @projectId AND id = @id{(lockRow ? s.ForUpdate : "")}", new { projectId, id }, ct);

    public static Task<IReadOnlyList<NotiflowRow>> ListAsync(DbSession s, Guid projectId, NotiflowFilter f, int offset, int limit, CancellationToken ct) =>
        s.QueryAsync<NotiflowRow>(
            $"SELECT {Columns} FROM notiflows WHERE {Where} ORDER BY handle LIMIT @limit OFFSET @offset",
            Args(projectId, f, offset, limit), ct);

    public static Task<long> CountAsync(DbSession s, Guid projectId, NotiflowFilter f, CancellationToken ct) =>
        s.ScalarAsync<long>($"SELECT COUNT(*) FROM notiflows WHERE {Where}", Args(projectId, f, 0, 0), ct);

    /// <summary>Every non-archived notiflow with a published version (the delete guard of channels reads their steps).</summary>
    public static Task<IReadOnlyList<VersionRow>> PublishedVersionsAsync(DbSession s, Guid projectId, CancellationToken ct) =>
        s.QueryAsync<VersionRow>($"""
            SELECT v.{VersionColumns.Replace(", ", ", v.", StringComparison.Ordinal)} FROM notiflows n
            JOIN notiflow_versions v ON v.id = n.published_version_id
            WHERE n.project_id = @projectId AND n.archived_at IS NULL
            """, new { projectId }, ct);

    private const string Where = """
        project_id = @projectId
        AND (@query IS NULL OR LOWER(name) LIKE @query ESCAPE '\' OR handle LIKE @query ESCAPE '\')
        AND (@active IS NULL OR active = @active)
        AND (@published IS NULL OR (published_version_id IS NOT NULL) = @published)
        AND ((archived_at IS NOT NULL) = @archived)
        """;

    private static object Args(Guid projectId, NotiflowFilter f, int offset, int limit) => new
    {
        projectId,
        query = f.Query is null ? null : "%" + EscapeLike(f.Query.ToLowerInvariant()) + "%",
        active = f.Active,
        published = f.Published,
        archived = f.Archived,
        offset,
        limit,
    };

    private static string EscapeLike(string value) => value
        .Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("%", "\\%", StringComparison.Ordinal)
        .Replace("_", "\\_", StringComparison.Ordinal);

    public static Task<int> InsertVersionAsync(DbSession s, VersionRow v, CancellationToken ct) =>
        s.ExecuteAsync($"""
            INSERT INTO notiflow_versions ({VersionColumns})
            VALUES (@Id, @NotiflowId, @VersionNumber, @Status, @Sha, @Steps, @PublishedAt, @CreatedBy, @PublishedBy, @InsertedAt, @UpdatedAt)
            """, v, ct);

    public static Task<int> UpdateVersionStatusAsync(DbSession s, VersionRow v, CancellationToken ct) =>
        s.ExecuteAsync(
            "UPDATE notiflow_versions SET status = @Status, published_at = @PublishedAt, published_by = @PublishedBy, updated_at = @UpdatedAt WHERE id = @Id",
            v, ct);

    public static Task<VersionRow?> GetVersionAsync(DbSession s, Guid notiflowId, Guid id, CancellationToken ct) =>
        s.QueryOneAsync<VersionRow>(
            $"SELECT {VersionColumns} FROM notiflow_versions WHERE notiflow_id = @notiflowId AND id = @id", new { notiflowId, id }, ct);

    public static Task<VersionRow?> GetVersionByNumberAsync(DbSession s, Guid notiflowId, int number, CancellationToken ct) =>
        s.QueryOneAsync<VersionRow>(
            $"SELECT {VersionColumns} FROM notiflow_versions WHERE notiflow_id = @notiflowId AND version_number = @number",
            new { notiflowId, number }, ct);

    public static Task<int> MaxVersionNumberAsync(DbSession s, Guid notiflowId, CancellationToken ct) =>
        s.ScalarAsync<int>("SELECT COALESCE(MAX(version_number), 0) FROM notiflow_versions WHERE notiflow_id = @notiflowId", new { notiflowId }, ct);

    /// <summary>Versions newest first, keyset-paged on version_number.</summary>
    public static Task<IReadOnlyList<VersionRow>> ListVersionsAsync(
        DbSession s, Guid notiflowId, string? status, int? olderThan, int? newerThan, int limit, CancellationToken ct)
    {
        var order = newerThan is null ? "DESC" : "ASC";
        return s.QueryAsync<VersionRow>($"""
            SELECT {VersionColumns} FROM notiflow_versions
            WHERE notiflow_id = @notiflowId AND (@status IS NULL OR status = @status)
              AND (@olderThan IS NULL OR version_number < @olderThan) AND (@newerThan IS NULL OR version_number > @newerThan)
            ORDER BY version_number {order} LIMIT @limit
            """, new { notiflowId, status, olderThan, newerThan, limit }, ct);
    }

    public static Task<long> CountVersionsAsync(DbSession s, Guid notiflowId, string? status, int? olderThan, int? newerThan, CancellationToken ct) =>
        s.ScalarAsync<long>("""
            SELECT COUNT(*) FROM notiflow_versions
            WHERE notiflow_id = @notiflowId AND (@status IS NULL OR status = @status)
              AND (@olderThan IS NULL OR version_number < @olderThan) AND (@newerThan IS NULL OR version_number > @newerThan)
            """, new { notiflowId, status, olderThan, newerThan }, ct);
}

/// <summary>Filters of the notiflow list (§8.4).</summary>
public sealed record NotiflowFilter(string? Query, bool? Active, bool? Published, bool Archived);
