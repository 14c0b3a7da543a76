using Notiflows.Storage.Database;

namespace Notiflows.Storage.Users;

/// <summary>SQL for users.</summary>
public static class UserStore
{
    public const string Columns =
        "id, project_id, external_id, email, phone, first_name, last_name, avatar, locale, timezone, custom_fields, created_at, updated_at";

    public static Task<int> InsertAsync(DbSession s, UserRow u, CancellationToken ct) =>
        s.ExecuteAsync($"""
            INSERT INTO users ({Columns})
            VALUES (@Id, @ProjectId, @ExternalId, @Email, @Phone, @FirstName, @LastName, @Avatar, @Locale, @Timezone, @CustomFields, @CreatedAt, @UpdatedAt)
            """, u, ct);

    /// <summary>Inserts the user unless one with its external id exists (created concurrently): false then.</summary>
    public static async Task<bool> InsertIfAbsentAsync(DbSession s, UserRow u, CancellationToken ct) =>
        await s.ExecuteAsync($"""
            INSERT INTO users ({Columns})
            VALUES (@Id, @ProjectId, @ExternalId, @Email, @Phone, @FirstName, @LastName, @Avatar, @Locale, @Timezone, @CustomFields, @CreatedAt, @UpdatedAt)
            ON CONFLICT (project_id, external_id) DO NOTHING
            """, u, ct) == 1;

    /// <summary>The users, row-locked in external-id order inside a write on PostgreSQL (concurrent upserts merge, never lose).</summary>
    public static Task<IReadOnlyList<UserRow>> LockByExternalIdsAsync(DbSession s, Guid projectId, IReadOnlyCollection<string> externalIds, CancellationToken ct) =>
        s.QueryAsync<UserRow>(
            $"SELECT {Columns} FROM users WHERE project_id = @projectId AND {s.In("external_id", "@externalIds")} ORDER BY external_id{s.ForUpdate}",
            new { projectId, externalIds }, ct);

    public static Task<int> UpdateAsync(DbSession s, UserRow u, CancellationToken ct) =>
        s.ExecuteAsync("""
            UPDATE users SET email = @Email, phone = @Phone, first_name = @FirstName, last_name = @LastName, avatar = @Avatar,
                   locale = @Locale, timezone = @Timezone, custom_fields = @CustomFields, updated_at = @UpdatedAt
            WHERE id = @Id
            """, u, ct);

    public static Task<UserRow?> GetByExternalIdAsync(DbSession s, Guid projectId, string externalId, CancellationToken ct) =>
        s.QueryOneAsync<UserRow>(
            $"SELECT {Columns} FROM users WHERE project_id = @projectId AND external_id = @externalId", new { projectId, externalId }, ct);

    public static Task<IReadOnlyList<UserRow>> GetByExternalIdsAsync(DbSession s, Guid projectId, IReadOnlyCollection<string> externalIds, CancellationToken ct) =>
        s.QueryAsync<UserRow>(
            $"SELECT {Columns} FROM users WHERE project_id = @projectId AND {s.In("external_id", "@externalIds")}", new { projectId, externalIds }, ct);

    public static Task<IReadOnlyList<UserRow>> GetByIdsAsync(DbSession s, IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        s.QueryAsync<UserRow>($"SELECT {Columns} FROM users WHERE {s.In("id", "@ids")}", new { ids = s.Ids(ids) }, ct);
}
