using Npgsql;

namespace Notiflows.Storage.Database;

/// <summary>Which database to use and how to reach it.</summary>
public sealed record DatabaseSettings(DbKind Kind, string ConnectionString)
{
    /// <summary>
    /// PostgreSQL when <paramref name="databaseUrl"/> is set (a <c>postgres://user:pass@host:port/db</c> URL or an
    /// Npgsql connection string), otherwise a SQLite file <c>notiflows.db</c> in <paramref name="dataDir"/>.
    /// </summary>
    public static DatabaseSettings Resolve(string? databaseUrl, string dataDir)
    {
        if (string.IsNullOrWhiteSpace(databaseUrl))
        {
            var path = Path.Combine(dataDir, "notiflows.db");
            return new DatabaseSettings(DbKind.Sqlite, $"Data Source={path};Pooling=True;Default Timeout=30");
        }
        // Automatic preparation: the engine repeats a small set of statements, so PostgreSQL parses and plans each once.
        var builder = new NpgsqlConnectionStringBuilder(ToNpgsql(databaseUrl.Trim()));
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 256;
            builder.AutoPrepareMinUsages = 2;
        }
        return new DatabaseSettings(DbKind.Postgres, builder.ConnectionString);
    }

    internal static string ToNpgsql(string value)
    {
        if (!value.StartsWith("postgres://", StringComparison.Ordinal) && !value.StartsWith("postgresql://", StringComparison.Ordinal))
        {
            return new NpgsqlConnectionStringBuilder(value).ConnectionString;
        }
        var uri = new Uri(value);
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port < 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        if (uri.UserInfo.Length > 0)
        {
            var parts = uri.UserInfo.Split(':', 2);
            builder.Username = Uri.UnescapeDataString(parts[0]);
            if (parts.Length == 2)
            {
                builder.Password = Uri.UnescapeDataString(parts[1]);
            }
        }
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            var key = Uri.UnescapeDataString(kv[0]);
            builder[key == "sslmode" ? "SSL Mode" : key] = kv.Length == 2 ? Uri.UnescapeDataString(kv[1]) : "";
        }
        return builder.ConnectionString;
    }
}
