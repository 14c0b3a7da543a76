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
