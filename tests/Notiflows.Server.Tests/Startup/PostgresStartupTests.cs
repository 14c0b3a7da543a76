using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Startup;

/// <summary>Real server processes on one PostgreSQL database: master key rules and nodes starting together (§16.1, §16.3).</summary>
public sealed class PostgresStartupTests
{
    private const string MasterKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WithoutMasterKey_RefusesToStartAndPrintsAGeneratedKey()
    {
        var url = await TestPostgres.CreateDatabaseAsync(TestPostgres.RequireAdminConnectionString(), Ct);
        await using var server = ServerProcess.Start(Env(url, masterKey: null));
        Assert.NotEqual(0, await server.WaitForExitAsync(Ct));
        Assert.Matches("NOTIFLOWS_MASTER_KEY=[A-Za-z0-9+/]{43}=", server.Stderr);
    }

    [Fact]
    public async Task ThreeNodesStartingTogether_MigrateAndBootstrapExactlyOnce_AndRefuseAnotherMasterKey()
    {
        var url = await TestPostgres.CreateDatabaseAsync(TestPostgres.RequireAdminConnectionString(), Ct);
        var nodes = Enumerable.Range(0, 3).Select(_ => ServerProcess.Start(Env(url, MasterKey))).ToList();
        try
        {
            await Task.WhenAll(nodes.Select(n => n.WaitUntilListeningAsync(Ct)));
            var printers = nodes.Where(n => n.Stdout.Contains("bootstrap credentials", StringComparison.Ordinal)).ToList();
            var printer = Assert.Single(printers);
            var token = System.Text.RegularExpressions.Regex.Match(printer.Stdout, "nf_at_[A-Za-z0-9]+").Value;
            foreach (var node in nodes)
            {
                using var client = node.Client();
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                var projects = JsonNode.Parse(await client.GetStringAsync("/management/v1/projects", Ct))!;
                Assert.Equal(1, (int)projects["page_info"]!["total_count"]!);
                Assert.Equal("""{"status":"ok"}""", await client.GetStringAsync("/readyz", Ct));
            }
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }

        await using var wrongKey = ServerProcess.Start(Env(url, Convert.ToBase64String(new byte[32])));
        Assert.NotEqual(0, await wrongKey.WaitForExitAsync(Ct));
        Assert.Contains("master key", wrongKey.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task PostgresUrlForm_IsAccepted()
    {
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(
            await TestPostgres.CreateDatabaseAsync(TestPostgres.RequireAdminConnectionString(), Ct));
        var url = $"postgres://{Uri.EscapeDataString(connection.Username!)}:{Uri.EscapeDataString(connection.Password ?? "")}@{connection.Host}:{connection.Port}/{connection.Database}";
        await using var server = ServerProcess.Start(Env(url, MasterKey));
        await server.WaitUntilListeningAsync(Ct);
        using var client = server.Client();
        Assert.Equal("""{"status":"ok"}""", await client.GetStringAsync("/readyz", Ct));
    }

    private static Dictionary<string, string?> Env(string databaseUrl, string? masterKey) => new()
    {
        ["NOTIFLOWS_DATA_DIR"] = Directory.CreateTempSubdirectory("notiflows-node-").FullName,
        ["NOTIFLOWS_DATABASE_URL"] = databaseUrl,
        ["NOTIFLOWS_MASTER_KEY"] = masterKey,
    };
}
