using Npgsql;

namespace Notiflows.Server.Tests.Infrastructure;

/// <summary>
/// The test PostgreSQL server from <c>NOTIFLOWS_TEST_POSTGRES</c> (set by scripts/test.sh). Missing: tests skip
/// locally but fail when <c>CI=true</c>, so a misconfigured CI can never pass silently.
/// </summary>
public static class TestPostgres
{
    public static string? AdminConnectionString => Environment.GetEnvironmentVariable("NOTIFLOWS_TEST_POSTGRES") is { Length: > 0 } s ? s : null;

    public static string RequireAdminConnectionString()
    {
        if (AdminConnectionString is { } s)
        {
            return s;
        }
        Assert.False(
            string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase),
            "NOTIFLOWS_TEST_POSTGRES is not set, but CI=true requires PostgreSQL: run ./scripts/test.sh.");
        Assert.Skip("NOTIFLOWS_TEST_POSTGRES is not set: run ./scripts/test.sh to get a throwaway PostgreSQL.");
        return "";
    }

    /// <summary>Creates a fresh database and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string admin, CancellationToken ct)
    {
        var name = "nf_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync(ct);
        }
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }
}
