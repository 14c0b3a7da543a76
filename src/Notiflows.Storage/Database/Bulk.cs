using System.Data.Common;

namespace Notiflows.Storage.Database;

/// <summary>A column of a bulk statement: its name and its PostgreSQL type (used to type parameters and nulls).</summary>
public readonly record struct BulkColumn(string Name, string PgType);

/// <summary>
/// Bulk writes. PostgreSQL: one <c>INSERT … SELECT * FROM unnest(arrays)</c> or <c>UPDATE … FROM unnest(arrays)</c> for
/// all the rows (one round trip, a statement of constant size). SQLite: one prepared statement executed per row (it is
/// in-process, so a row costs microseconds). Values are converted to the storage forms here (ids, timestamps, booleans).
/// </summary>
public static class Bulk
{
    public static async Task<int> InsertAsync(
        DbSession s, string table, BulkColumn[] columns, IReadOnlyList<object?[]> rows, string suffix, CancellationToken ct)
    {
        if (s.Kind == DbKind.Sqlite)
        {
            return await EachRowAsync(s, $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES "
                + $"({string.Join(", ", columns.Select((_, i) => $"@p{i}"))}) {suffix}", columns, rows, ct);
        }
        if (rows.Count == 0)
        {
            return 0;
        }
        // PostgreSQL: one array parameter per column and unnest — a tiny statement to parse whatever the row count.
        await using var command = s.CreateCommand();
        command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) SELECT * FROM {Unnest(command, columns, rows)} {suffix}";
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary><c>unnest(@c0::uuid[], @c1::text[], …)</c> with one array parameter per column.</summary>
    private static string Unnest(DbCommand command, BulkColumn[] columns, IReadOnlyList<object?[]> rows)
    {
        var parts = new List<string>(columns.Length);
        for (var c = 0; c < columns.Length; c++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = $"@c{c}";
            parameter.Value = columns[c].PgType switch
            {
                "uuid" => rows.Select(r => (Guid?)r[c]).ToArray(),
                "bigint" => rows.Select(r => r[c] switch { null => (long?)null, DateTimeOffset t => Timestamps.ToMicros(t), var v => System.Convert.ToInt64(v, System.Globalization.CultureInfo.InvariantCulture) }).ToArray(),
                "integer" => rows.Select(r => r[c] is null ? (int?)null : System.Convert.ToInt32(r[c], System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
                "boolean" => rows.Select(r => (bool?)r[c]).ToArray(),
                _ => (object)rows.Select(r => (string?)r[c]).ToArray(),
            };
            command.Parameters.Add(parameter);
            parts.Add($"@c{c}::{columns[c].PgType}[]");
        }
        return $"unnest({string.Join(", ", parts)})";
    }

    /// <summary>Updates rows by their first column (the key): <c>SET col = v.colN</c> for every other column.</summary>
    public static async Task<int> UpdateAsync(DbSession s, string table, BulkColumn[] columns, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        if (s.Kind == DbKind.Sqlite)
        {
            return await EachRowAsync(s, $"UPDATE {table} SET {string.Join(", ", columns.Skip(1).Select((c, i) => $"{c.Name} = @p{i + 1}"))} "
                + $"WHERE {columns[0].Name} = @p0", columns, rows, ct);
        }
        if (rows.Count == 0)
        {
            return 0;
        }
        await using var command = s.CreateCommand();
        var names = string.Join(", ", columns.Select((_, i) => $"v{i}"));
        command.CommandText = $"UPDATE {table} SET {string.Join(", ", columns.Skip(1).Select((c, i) => $"{c.Name} = v.v{i + 1}"))} "
            + $"FROM {Unnest(command, columns, rows)} AS v({names}) WHERE {table}.{columns[0].Name} = v.v0";
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// SQLite runs in-process: one prepared single-row statement executed per row is its fastest bulk path (a statement
    /// with thousands of named parameters binds them by name lookup, quadratically).
    /// </summary>
    private static async Task<int> EachRowAsync(DbSession s, string sql, BulkColumn[] columns, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return 0;
        }
        await using var command = s.CreateCommand();
        command.CommandText = sql;
        var parameters = columns.Select((c, i) =>
        {
            var p = command.CreateParameter();
            p.ParameterName = $"@p{i}";
            command.Parameters.Add(p);
            return p;
        }).ToArray();
        await command.PrepareAsync(ct);
        var total = 0;
        foreach (var row in rows)
        {
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i].Value = Convert(s.Kind, row[i]);
            }
            total += await command.ExecuteNonQueryAsync(ct);
        }
        return total;
    }

    private static object Convert(DbKind kind, object? value) => value switch
    {
        null => DBNull.Value,
        Guid g => kind == DbKind.Postgres ? g : g.ToString(),
        DateTimeOffset t => Timestamps.ToMicros(t),
        bool b => kind == DbKind.Postgres ? b : b ? 1L : 0L,
        _ => value,
    };
}
