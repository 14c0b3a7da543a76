using Notiflows.Storage.Database;

namespace Notiflows.Storage.Projects;

/// <summary>SQL for projects and their keys.</summary>
public static class ProjectStore
{
    private const string Select = """
        SELECT p.id, p.account_id, p.slug, p.name, p.is_default, p.security_mode, p.allowed_origins, p.signing_public_key_pem,
               p.signing_key_created_at, p.created_at, p.updated_at,
               (SELECT k.public_key FROM project_keys k WHERE k.project_id = p.id AND k.kind = 'public' AND k.expires_at IS NULL) AS public_key,
               (SELECT k.key_hint FROM project_keys k WHERE k.project_id = p.id AND k.kind = 'secret' AND k.expires_at IS NULL) AS secret_key_hint
        FROM projects p
        """;

    public static Task<int> InsertAsync(DbSession s, ProjectRow p, CancellationToken ct) =>
        s.ExecuteAsync("""
            INSERT INTO projects (id, account_id, slug, name, is_default, security_mode, allowed_origins, signing_public_key_pem,
                                  signing_key_created_at, created_at, updated_at)
            VALUES (@Id, @AccountId, @Slug, @Name, @IsDefault, @SecurityMode, @AllowedOrigins, @SigningPublicKeyPem,
                    @SigningKeyCreatedAt, @CreatedAt, @UpdatedAt)
            """, p, ct);

    public static Task<int> InsertKeyAsync(DbSession s, ProjectKeyRow k, CancellationToken ct) =>
        s.ExecuteAsync("""
            INSERT INTO project_keys (id, project_id, kind, public_key, key_hash, key_hint, created_at, expires_at)
            VALUES (@Id, @ProjectId, @Kind, @PublicKey, @KeyHash, @KeyHint, @CreatedAt, @ExpiresAt)
            """, k, ct);

    public static Task<ProjectRow?> GetBySlugAsync(DbSession s, Guid accountId, string slug, CancellationToken ct) =>
        s.QueryOneAsync<ProjectRow>($"{Select} WHERE p.account_id = @accountId AND p.slug = @slug", new { accountId, slug }, ct);

    public static Task<ProjectRow?> GetByIdAsync(DbSession s, Guid id, CancellationToken ct) =>
        s.QueryOneAsync<ProjectRow>($"{Select} WHERE p.id = @id", new { id }, ct);

    public static Task<ProjectRow?> GetDefaultAsync(DbSession s, Guid accountId, CancellationToken ct) =>
        s.QueryOneAsync<ProjectRow>($"{Select} WHERE p.account_id = @accountId AND p.is_default = TRUE", new { accountId }, ct);

    public static Task<IReadOnlyList<ProjectRow>> ListAsync(DbSession s, Guid accountId, int offset, int limit, CancellationToken ct) =>
        s.QueryAsync<ProjectRow>(
            $"{Select} WHERE p.account_id = @accountId ORDER BY {BySlug(s)} LIMIT @limit OFFSET @offset", new { accountId, limit, offset }, ct);

    /// <summary>Slug order is byte order on both databases, whatever the PostgreSQL database's collation.</summary>
    private static string BySlug(DbSession s) => s.Kind == DbKind.Postgres ? "p.slug COLLATE \"C\"" : "p.slug";

    public static Task<long> CountAsync(DbSession s, Guid accountId, CancellationToken ct) =>
        s.ScalarAsync<long>("SELECT COUNT(*) FROM projects WHERE account_id = @accountId", new { accountId }, ct);

    public static Task<int> UpdateAsync(DbSession s, ProjectRow p, CancellationToken ct) =>
        s.ExecuteAsync("""
            UPDATE projects SET name = @Name, is_default = @IsDefault, security_mode = @SecurityMode, allowed_origins = @AllowedOrigins,
                   signing_public_key_pem = @SigningPublicKeyPem, signing_key_created_at = @SigningKeyCreatedAt, updated_at = @UpdatedAt
            WHERE id = @Id
            """, p, ct);

    public static Task<int> ClearDefaultAsync(DbSession s, Guid accountId, DateTimeOffset now, CancellationToken ct) =>
        s.ExecuteAsync(
            "UPDATE projects SET is_default = FALSE, updated_at = @now WHERE account_id = @accountId AND is_default = TRUE",
            new { accountId, now }, ct);

    /// <summary>A key that is current or still within its grace period.</summary>
    public static Task<ProjectKeyRow?> FindLiveKeyAsync(DbSession s, string kind, byte[] hash, DateTimeOffset now, CancellationToken ct) =>
        s.QueryOneAsync<ProjectKeyRow>("""
            SELECT id, project_id, kind, public_key, key_hash, key_hint, created_at, expires_at FROM project_keys
            WHERE key_hash = @hash AND kind = @kind AND (expires_at IS NULL OR expires_at > @now)
            """, new { hash, kind, now }, ct);

    /// <summary>Ends the life of the project's keys of a kind: current ones expire at <paramref name="expiresAt"/>, older ones now.</summary>
    public static async Task ExpireKeysAsync(DbSession s, Guid projectId, string kind, DateTimeOffset now, DateTimeOffset expiresAt, CancellationToken ct)
    {
        await s.ExecuteAsync(
            "UPDATE project_keys SET expires_at = @now WHERE project_id = @projectId AND kind = @kind AND expires_at IS NOT NULL AND expires_at > @now",
            new { projectId, kind, now }, ct);
        await s.ExecuteAsync(
            "UPDATE project_keys SET expires_at = @expiresAt WHERE project_id = @projectId AND kind = @kind AND expires_at IS NULL",
            new { projectId, kind, expiresAt }, ct);
    }
}
