using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Notiflows.Storage.Database;

/// <summary>
/// The database: opens connections and runs units of work in transactions. SQLite has one writer, so
/// writes are serialised in-process (no busy-wait on the file lock) and use <c>BEGIN IMMEDIATE</c>.
/// </summary>
public sealed class Db : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly string _sqlite = "";
    private readonly SemaphoreSlim _sqliteWriter = new(1, 1);
    private SqliteConnection? _writer;

    public Db(DatabaseSettings settings)
    {
        TypeHandlers.Register();
        Kind = settings.Kind;
        if (Kind == DbKind.Postgres)
        {
            _postgres = new NpgsqlDataSourceBuilder(settings.ConnectionString).Build();
        }
        else
        {
            _sqlite = settings.ConnectionString;
        }
    }

    public DbKind Kind { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(ct);
        }
        var connection = new SqliteConnection(_sqlite);
        await connection.OpenAsync(ct);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000;";
        await pragma.ExecuteNonQueryAsync(ct);
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in a read-write transaction and commits it.</summary>
    public async Task<T> WriteAsync<T>(Func<DbSession, Task<T>> work, CancellationToken ct)
    {
        if (Kind == DbKind.Postgres)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await using var connection = await OpenAsync(ct);
                    await using var tx = await connection.BeginTransactionAsync(ct);
                    var session = new DbSession(connection, tx, Kind);
                    var result = await work(session);
                    await tx.CommitAsync(ct);
                    session.Committed();
                    return result;
                }
                catch (PostgresException ex) when (attempt < 3 && ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure)
                {
                    // Two transactions locked the same rows in opposite orders (say a cancel and a worker): PostgreSQL
                    // rolled this one back whole, so running the unit of work again is safe.
                }
            }
        }
        // SQLite has one writer: one long-lived connection, used by one transaction at a time (no re-open, no re-setup).
        await _sqliteWriter.WaitAsync(ct);
        try
        {
            _writer ??= (SqliteConnection)await OpenAsync(ct);
            try
            {
                await using var tx = await _writer.BeginTransactionAsync(ct);
                var session = new DbSession(_writer, tx, Kind);
                var result = await work(session);
                await tx.CommitAsync(ct);
                session.Committed();
                return result;
            }
            catch (SqliteException)
            {
                // A failed connection is not reused; an ordinary statement error rolled its transaction back already.
                await _writer.DisposeAsync();
                _writer = null;
                throw;
            }
        }
        finally
        {
            _sqliteWriter.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> on a connection without an explicit transaction.</summary>
    public async Task<T> ReadAsync<T>(Func<DbSession, Task<T>> work, CancellationToken ct)
    {
        if (Kind == DbKind.Postgres)
        {
            await using var pg = await _postgres!.OpenConnectionAsync(ct);
            return await work(new DbSession(pg, null, Kind));
        }
        // Readers never wait for the writer in WAL mode, and need none of the writer's settings.
        await using var connection = new SqliteConnection(_sqlite);
        await connection.OpenAsync(ct);
        return await work(new DbSession(connection, null, Kind));
    }

    public static bool IsUniqueViolation(Exception ex) => ex switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }
        _sqliteWriter.Dispose();
    }
}
