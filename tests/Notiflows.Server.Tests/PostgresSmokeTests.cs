using Npgsql;

namespace Notiflows.Server.Tests;

public sealed class PostgresSmokeTests
{
    [Fact]
    public async Task Postgres_AnswersSelectOne()
    {
        var connectionString = Environment.GetEnvironmentVariable("NOTIFLOWS_TEST_POSTGRES");
        if (string.IsNullOrEmpty(connectionString))
        {
            Assert.False(
                Environment.GetEnvironmentVariable("CI") == "true",
                "NOTIFLOWS_TEST_POSTGRES is not set, but CI=true requires Postgres: run ./scripts/test.sh.");
            Assert.Skip("NOTIFLOWS_TEST_POSTGRES is not set: run ./scripts/test.sh to get a throwaway Postgres.");
        }

        var ct = TestContext.Current.CancellationToken;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("select 1", connection);
        Assert.Equal(1, Assert.IsType<int>(await command.ExecuteScalarAsync(ct)));
    }
}
