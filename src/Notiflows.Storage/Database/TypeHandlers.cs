using System.Data;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Notiflows.Storage.Database;

/// <summary>
/// Dapper mappings that let one SQL text serve both databases: ids are <c>uuid</c> on PostgreSQL and
/// lowercase text on SQLite (which sorts like the uuid bytes); timestamps are microseconds since the epoch.
/// </summary>
internal static class TypeHandlers
{
    private static int s_registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 1)
        {
            return;
        }
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        // Dapper consults its built-in type map before custom handlers when binding parameters: remove the entries first.
        foreach (var type in new[] { typeof(Guid), typeof(Guid?), typeof(DateTimeOffset), typeof(DateTimeOffset?) })
        {
            SqlMapper.RemoveTypeMap(type);
        }
        SqlMapper.AddTypeHandler(new GuidHandler());
        SqlMapper.AddTypeHandler(new TimestampHandler());
    }

    private sealed class GuidHandler : SqlMapper.TypeHandler<Guid>
    {
        public override void SetValue(IDbDataParameter parameter, Guid value)
        {
            if (parameter is SqliteParameter)
            {
                parameter.DbType = DbType.String;
                parameter.Value = value.ToString();
            }
            else
            {
                parameter.Value = value;
            }
        }

        public override Guid Parse(object value) => value switch
        {
            Guid g => g,
            string s => Guid.Parse(s),
            byte[] b => new Guid(b),
            _ => throw new DataException($"Cannot convert {value.GetType()} to Guid"),
        };
    }

    private sealed class TimestampHandler : SqlMapper.TypeHandler<DateTimeOffset>
    {
        public override void SetValue(IDbDataParameter parameter, DateTimeOffset value)
        {
            parameter.DbType = DbType.Int64;
            parameter.Value = Timestamps.ToMicros(value);
        }

        public override DateTimeOffset Parse(object value) => Timestamps.FromMicros(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
    }
}
