using System.Data.Common;
using Dapper;

namespace Notiflows.Storage.Database;

/// <summary>A connection (and, for writes, its transaction) with the Dapper calls used by the stores.</summary>
public sealed class DbSession(DbConnection connection, DbTransaction? transaction, DbKind kind)
{
    private List<Action>? _afterCommit;

    public DbKind Kind => kind;

    /// <summary>
    /// Runs <paramref name="action"/> once this session's transaction has committed (never if it rolls back, and only
    /// once even when a deadlock makes the unit of work run again: each attempt has a session of its own). Actions
    /// must not throw; they tell in-process listeners about committed changes.
    /// </summary>
    public void AfterCommit(Action action) => (_afterCommit ??= []).Add(action);

    internal void Committed()
    {
        foreach (var action in _afterCommit ?? [])
        {
            action();
        }
    }

    /// <summary>A raw command on this session's connection and transaction (for the bulk statements).</summary>
    public DbCommand CreateCommand()
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        return command;
    }

    /// <summary><c> FOR UPDATE</c> on PostgreSQL; nothing on SQLite, whose writer holds the whole database.</summary>
    public string ForUpdate => kind == DbKind.Postgres ? " FOR UPDATE" : "";

    /// <summary>
    /// <c> FOR UPDATE OF alias</c> on PostgreSQL: locks only that table's rows, as a query with an outer join must
    /// (PostgreSQL refuses to lock the nullable side); nothing on SQLite.
    /// </summary>
    public string ForUpdateOf(string alias) => kind == DbKind.Postgres ? $" FOR UPDATE OF {alias}" : "";

    /// <summary>
    /// A list of ids for <c>IN @ids</c>: Dapper expands lists without its type handlers, so SQLite gets the ids as the
    /// lowercase text they are stored as, PostgreSQL as uuids.
    /// </summary>
    public System.Collections.IEnumerable Ids(IEnumerable<Guid> ids) => kind == DbKind.Sqlite ? ids.Select(i => i.ToString()).ToList() : (System.Collections.IEnumerable)ids.ToList();

    /// <summary>
    /// <c>column IN @list</c>: Dapper expands the list on SQLite; on PostgreSQL it binds the list as one array
    /// parameter, which needs <c>= ANY(@list)</c>.
    /// </summary>
    public string In(string column, string parameter) =>
        kind == DbKind.Postgres ? $"{column} = ANY({parameter})" : $"{column} IN {parameter}";

    /// <summary>
    /// Keyset bounds on an id column, only for the bounds that are set (so PostgreSQL never sees an untyped null
    /// parameter, and the index range is exact): <c>AND column &lt; @older AND column &gt; @newer</c>.
    /// </summary>
    public static string Bounds(string column, Guid? older, Guid? newer) =>
        (older is null ? "" : $" AND {column} < @older") + (newer is null ? "" : $" AND {column} > @newer");

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
