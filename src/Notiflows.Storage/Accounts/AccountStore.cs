using Notiflows.Storage.Database;

namespace Notiflows.Storage.Accounts;

/// <summary>SQL for accounts and their tokens.</summary>
public static class AccountStore
{
    private const string TokenColumns = "id, account_id, name, token_hash, token_hint, created_at, last_used_at";

    public static async Task<bool> AnyAsync(DbSession s, CancellationToken ct) =>
        await s.ScalarAsync<long>("SELECT COUNT(*) FROM accounts", null, ct) > 0;

    public static Task<int> InsertAsync(DbSession s, AccountRow a, CancellationToken ct) =>
        s.ExecuteAsync("INSERT INTO accounts (id, name, created_at) VALUES (@Id, @Name, @CreatedAt)", a, ct);

    public static Task<AccountRow?> GetAsync(DbSession s, Guid id, CancellationToken ct) =>
        s.QueryOneAsync<AccountRow>("SELECT id, name, created_at FROM accounts WHERE id = @id", new { id }, ct);

    public static Task<int> InsertTokenAsync(DbSession s, AccountTokenRow t, CancellationToken ct) =>
        s.ExecuteAsync(
            $"INSERT INTO account_tokens ({TokenColumns}) VALUES (@Id, @AccountId, @Name, @TokenHash, @TokenHint, @CreatedAt, @LastUsedAt)", t, ct);

    public static Task<AccountTokenRow?> GetTokenByHashAsync(DbSession s, byte[] hash, CancellationToken ct) =>
        s.QueryOneAsync<AccountTokenRow>($"SELECT {TokenColumns} FROM account_tokens WHERE token_hash = @hash", new { hash }, ct);

    public static Task<AccountTokenRow?> GetTokenAsync(DbSession s, Guid accountId, Guid id, CancellationToken ct) =>
        s.QueryOneAsync<AccountTokenRow>(
            $"SELECT {TokenColumns} FROM account_tokens WHERE id = @id AND account_id = @accountId", new { id, accountId }, ct);

    public static Task<IReadOnlyList<AccountTokenRow>> ListTokensAsync(DbSession s, Guid accountId, int offset, int limit, CancellationToken ct) =>
        s.QueryAsync<AccountTokenRow>(
            $"SELECT {TokenColumns} FROM account_tokens WHERE account_id = @accountId ORDER BY id LIMIT @limit OFFSET @offset",
            new { accountId, limit, offset }, ct);

    public static Task<long> CountTokensAsync(DbSession s, Guid accountId, CancellationToken ct) =>
        s.ScalarAsync<long>("SELECT COUNT(*) FROM account_tokens WHERE account_id = @accountId", new { accountId }, ct);

    public static Task<int> RenameTokenAsync(DbSession s, Guid id, string name, CancellationToken ct) =>
        s.ExecuteAsync("UPDATE account_tokens SET name = @name WHERE id = @id", new { id, name }, ct);

    public static Task<int> DeleteTokenAsync(DbSession s, Guid id, CancellationToken ct) =>
        s.ExecuteAsync("DELETE FROM account_tokens WHERE id = @id", new { id }, ct);

    /// <summary>Records a use, at most once a minute per token (the WHERE makes concurrent touches cheap no-ops).</summary>
    public static Task<int> TouchTokenAsync(DbSession s, Guid id, DateTimeOffset now, CancellationToken ct) =>
        s.ExecuteAsync(
            "UPDATE account_tokens SET last_used_at = @now WHERE id = @id AND (last_used_at IS NULL OR last_used_at <= @staleBefore)",
            new { id, now, staleBefore = now.AddMinutes(-1) }, ct);
}
