using System.Reflection;
using Dapper;
using Microsoft.Extensions.Logging;
using Notiflows.Storage.Database;

namespace Notiflows.Storage.Migrations;

/// <summary>
/// Applies the embedded SQL migrations of the current database kind, each once, in order. On PostgreSQL
/// the whole run holds an advisory lock, so nodes that start together migrate (and bootstrap) exactly once.
/// </summary>
public sealed partial class Migrator(Db db, TimeProvider time, ILogger<Migrator> logger)
{
    // Arbitrary but fixed: the advisory lock key that serialises start-up work across nodes.
    private const long StartupLockKey = 0x4e6f7469666c6f77; // "Notiflow"

    public bool Applied { get; private set; }

    /// <summary>Applies pending migrations, then runs <paramref name="afterMigrations"/> in one transaction, all under the start-up lock.</summary>
    public async Task MigrateAsync(Func<DbSession, Task> afterMigrations, CancellationToken ct)
    {
        var scripts = Scripts(db.Kind);
        await using var connection = await db.OpenAsync(ct);
        if (db.Kind == DbKind.Postgres)
        {
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_lock(@k)", new { k = StartupLockKey }, cancellationToken: ct));
        }
        try
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            var session = new DbSession(connection, tx, db.Kind);
            await session.ExecuteAsync(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at bigint NOT NULL)", null, ct);
            var applied = (await session.QueryAsync<int>("SELECT version FROM schema_migrations", null, ct)).ToHashSet();
            foreach (var (version, name, sql) in scripts.Where(s => !applied.Contains(s.Version)))
            {
                await session.ExecuteAsync(sql, null, ct);
                await session.ExecuteAsync(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)",
                    new { version, name, at = time.GetUtcNow() }, ct);
                LogApplied(logger, version, name);
            }
            await afterMigrations(session);
            await tx.CommitAsync(ct);
            Applied = true;
        }
        finally
        {
            if (db.Kind == DbKind.Postgres)
            {
                await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_unlock(@k)", new { k = StartupLockKey }, cancellationToken: ct));
            }
        }
    }

    /// <summary>True when every embedded migration is recorded as applied.</summary>
    public async Task<bool> IsCurrentAsync(CancellationToken ct)
    {
        var expected = Scripts(db.Kind).Count;
        return await db.ReadAsync(
            async s => await s.ScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations", null, ct) >= expected, ct);
    }

    private static List<(int Version, string Name, string Sql)> Scripts(DbKind kind)
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"{typeof(Migrator).Namespace}.Sql.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var name = n[prefix.Length..^4];
                var sql = Read(assembly, n);
                return (int.Parse(name[..4], System.Globalization.CultureInfo.InvariantCulture), name, kind == DbKind.Sqlite ? ForSqlite(sql) : sql);
            })
            .OrderBy(s => s.Item1)
            .ToList();
    }

    /// <summary>
    /// The migrations are written once, for PostgreSQL; SQLite gets the same DDL with its storage classes. Only these
    /// four types differ, and the schema sticks to SQL both understand (partial indexes, ON CONFLICT, RETURNING).
    /// </summary>
    public static string ForSqlite(string sql) => SqliteTypes().Replace(sql, m => m.Value switch
    {
        "uuid" => "text",
        "bytea" => "blob",
        _ => "integer",
    });

    [System.Text.RegularExpressions.GeneratedRegex(@"\b(uuid|bytea|boolean|bigint)\b")]
    private static partial System.Text.RegularExpressions.Regex SqliteTypes();

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Version} ({Name})")]
    private static partial void LogApplied(ILogger logger, int version, string name);
}
