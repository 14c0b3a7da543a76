using System.Data.Common;
using Dapper;

namespace Notiflows.Storage.Database;

/// <summary>A connection (and, for writes, its transaction) with the Dapper calls used by the stores.</summary>
public sealed class DbSession(DbConnection connection, DbTransaction? transaction, DbKind kind)
{
    public DbKind Kind => kind;

    /// <summary><c> FOR UPDATE</c> on PostgreSQL; nothing on SQLite, whose writer holds the whole database.</summary>
    public string ForUpdate => kind == DbKind.Postgres ? " FOR UPDATE" : "";

    public Task<int> ExecuteAsync(string sql, object? param, CancellationToken ct) =>
        connection.ExecuteAsync(Command(sql, param, ct));

    public Task<T?> QueryOneAsync<T>(string sql, object? param, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<T>(Command(sql, param, ct));

    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? param, CancellationToken ct) =>
        (await connection.QueryAsync<T>(Command(sql, param, ct))).AsList();

    public Task<T> ScalarAsync<T>(string sql, object? param, CancellationToken ct) =>
        connection.ExecuteScalarAsync<T>(Command(sql, param, ct))!;

    private CommandDefinition Command(string sql, object? param, CancellationToken ct) =>
        new(sql, param, transaction, cancellationToken: ct);
}
