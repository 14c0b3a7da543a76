using System.Data;
using System.Data.Common;
using System.Text;

namespace Notiflows.Storage.Database;

/// <summary>A column of a bulk statement: its name and its PostgreSQL type (used to type parameters and nulls).</summary>
public readonly record struct BulkColumn(string Name, string PgType);

/// <summary>
/// Multi-row statements: one <c>INSERT … VALUES (…), (…)</c> or <c>UPDATE … FROM (VALUES …)</c> per chunk of rows
/// instead of one statement per row — the difference between a few thousand and tens of thousands of rows a second.
/// Values are converted to the storage forms here (uuid/text ids, microsecond timestamps, booleans).
/// </summary>
public static class Bulk
{
    // Stay under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters per statement.
    private const int MaxParameters = 30_000;

    public static async Task<int> InsertAsync(
        DbSession s, string table, BulkColumn[] columns, IReadOnlyList<object?[]> rows, string suffix, CancellationToken ct)
    {
        if (s.Kind == DbKind.Sqlite)
        {
            return await EachRowAsync(s, $"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES "
                + $"({string.Join(", ", columns.Select((_, i) => $"@p{i}"))}) {suffix}", columns, rows, ct);
        }
        var total = 0;
        foreach (var chunk in rows.Chunk(Math.Max(1, MaxParameters / columns.Length)))
        {
            await using var command = s.CreateCommand();
            var sql = new StringBuilder($"INSERT INTO {table} ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ");
            AppendValues(s, command, sql, columns, chunk, cast: false);
            sql.Append(' ').Append(suffix);
            command.CommandText = sql.ToString();
            total += await command.ExecuteNonQueryAsync(ct);
        }
        return total;
    }

    /// <summary>Updates rows by their first column (the key): <c>SET col = v.colN</c> for every other column.</summary>
    public static async Task<int> UpdateAsync(DbSession s, string table, BulkColumn[] columns, IReadOnlyList<object?[]> rows, CancellationToken ct)
    {
        if (s.Kind == DbKind.Sqlite)
        {
            return await EachRowAsync(s, $"UPDATE {table} SET {string.Join(", ", columns.Skip(1).Select((c, i) => $"{c.Name} = @p{i + 1}"))} "
                + $"WHERE {columns[0].Name} = @p0", columns, rows, ct);
        }
        var total = 0;
        foreach (var chunk in rows.Chunk(Math.Max(1, MaxParameters / columns.Length)))
        {
            await using var command = s.CreateCommand();
            var sql = new StringBuilder($"UPDATE {table} SET ");
            sql.AppendJoin(", ", columns.Skip(1).Select((c, i) => $"{c.Name} = v.column{i + 2}"));
            sql.Append(" FROM (VALUES ");
            AppendValues(s, command, sql, columns, chunk, cast: s.Kind == DbKind.Postgres);
            sql.Append($") AS v WHERE {table}.{columns[0].Name} = v.column1");
            command.CommandText = sql.ToString();
            total += await command.ExecuteNonQueryAsync(ct);
        }
        return total;
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

    private static void AppendValues(DbSession s, DbCommand command, StringBuilder sql, BulkColumn[] columns, object?[][] rows, bool cast)
    {
        for (var r = 0; r < rows.Length; r++)
        {
            sql.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns.Length; c++)
            {
                var name = $"@p{r}_{c}";
                sql.Append(c == 0 ? "" : ", ").Append(name);
                if (cast)
                {
                    sql.Append("::").Append(columns[c].PgType);
                }
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = Convert(s.Kind, rows[r][c]);
                if (rows[r][c] is null)
                {
                    parameter.DbType = DbTypeOf(columns[c].PgType);
                }
                command.Parameters.Add(parameter);
            }
            sql.Append(')');
        }
    }

    private static object Convert(DbKind kind, object? value) => value switch
    {
        null => DBNull.Value,
        Guid g => kind == DbKind.Postgres ? g : g.ToString(),
        DateTimeOffset t => Timestamps.ToMicros(t),
        bool b => kind == DbKind.Postgres ? b : b ? 1L : 0L,
        _ => value,
    };

    private static DbType DbTypeOf(string pgType) => pgType switch
    {
        "uuid" => DbType.Guid,
        "bigint" => DbType.Int64,
        "integer" => DbType.Int32,
        "boolean" => DbType.Boolean,
        _ => DbType.String,
    };
}
