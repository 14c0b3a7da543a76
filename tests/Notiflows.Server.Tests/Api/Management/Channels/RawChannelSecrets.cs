using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Notiflows.Core.Secrets;
using Notiflows.Server.Tests.Infrastructure;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Tests.Api.Management.Channels;

/// <summary>Reads a channel's <c>secrets</c> column as stored, bypassing the server's code, to prove encryption at rest (§16.3).</summary>
public static class RawChannelSecrets
{
    private const string Sql = """
        SELECT c.secrets FROM channels c JOIN projects p ON p.id = c.project_id WHERE p.slug = @slug AND c.handle = @handle
        """;

    public static async Task<string?> ReadAsync(TestHost host, string projectSlug, string handle, CancellationToken ct)
    {
        await using var connection = await OpenAsync(host, ct);
        await using var command = connection.CreateCommand();
        command.CommandText = Sql;
        Add(command, "slug", projectSlug);
        Add(command, "handle", handle);
        var value = await command.ExecuteScalarAsync(ct);
        return value is null or DBNull ? null : (string)value;
    }

    /// <summary>Decrypts a raw column value with the test master key.</summary>
    public static string Decrypt(string raw) => new SecretBox(SecretBox.ParseMasterKey(TestHost.MasterKeyValue)).Decrypt(raw);

    private static async Task<DbConnection> OpenAsync(TestHost host, CancellationToken ct)
    {
        if (host.Kind == DbKind.Postgres)
        {
            return await host.Services.GetRequiredService<Db>().OpenAsync(ct);
        }
        // The SQLite file itself, through a connection of our own.
        var connection = new SqliteConnection($"Data Source={Path.Combine(host.DataDir, "notiflows.db")};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync(ct);
        return connection;
    }

    private static void Add(DbCommand command, string name, string value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }
}
