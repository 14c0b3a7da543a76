using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Startup;

/// <summary>First start, restart and refusals of a real server process on SQLite (§16.1–§16.3).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BootstrapProcessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task FirstStart_PrintsCredentialsOnce_WritesBootstrapJson0600_AndRestartCreatesNothing()
    {
        var dataDir = Directory.CreateTempSubdirectory("notiflows-boot-").FullName;
        var env = new Dictionary<string, string?> { ["NOTIFLOWS_DATA_DIR"] = dataDir };
        string token;
        await using (var first = ServerProcess.Start(env))
        {
            await first.WaitUntilListeningAsync(Ct);
            var file = Path.Combine(dataDir, "bootstrap.json");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            var json = JsonNode.Parse(await File.ReadAllTextAsync(file, Ct))!.AsObject();
            Assert.Equal(["account_id", "project", "account_token", "public_key", "secret_key", "created_at"], json.Select(p => p.Key));
            Assert.Equal("default", (string?)json["project"]!["slug"]);
            token = (string)json["account_token"]!;
            Assert.Matches("^nf_at_[A-Za-z0-9]{40}$", token);
            Assert.Matches("^pk_[A-Za-z0-9]{32}$", (string?)json["public_key"]);
            Assert.Matches("^sk_[A-Za-z0-9]{40}$", (string?)json["secret_key"]);
            Assert.Contains(token, first.Stdout, StringComparison.Ordinal);
            Assert.Contains((string)json["secret_key"]!, first.Stdout, StringComparison.Ordinal);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dataDir, "master.key")));

            using var client = first.Client();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var whoami = JsonNode.Parse(await client.GetStringAsync("/management/v1/whoami", Ct))!;
            Assert.Equal("default", (string?)whoami["default_project"]!["slug"]);
            var admin = new HttpRequestMessage(HttpMethod.Get, "/admin/v1/channels");
            admin.Headers.Add("x-notiflows-secret-key", (string)json["secret_key"]!);
            using var channels = await client.SendAsync(admin, Ct);
            Assert.Equal(200, (int)channels.StatusCode);
        }

        await using var second = ServerProcess.Start(env);
        await second.WaitUntilListeningAsync(Ct);
        Assert.DoesNotContain("bootstrap credentials", second.Stdout, StringComparison.Ordinal);
        using var again = second.Client();
        again.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var projects = JsonNode.Parse(await again.GetStringAsync("/management/v1/projects", Ct))!;
        Assert.Equal(1, (int)projects["page_info"]!["total_count"]!);
        var tokens = JsonNode.Parse(await again.GetStringAsync("/management/v1/account-tokens", Ct))!;
        Assert.Equal(1, (int)tokens["page_info"]!["total_count"]!);
    }

    [Fact]
    public async Task BootstrapVariables_AreUsedVerbatim()
    {
        var dataDir = Directory.CreateTempSubdirectory("notiflows-boot-").FullName;
        await using var server = ServerProcess.Start(new Dictionary<string, string?>
        {
            ["NOTIFLOWS_DATA_DIR"] = dataDir,
            ["NOTIFLOWS_BOOTSTRAP_ACCOUNT_TOKEN"] = "nf_at_my_own_token_0123456789",
            ["NOTIFLOWS_BOOTSTRAP_PUBLIC_KEY"] = "pk_my_own_public_0123456789",
            ["NOTIFLOWS_BOOTSTRAP_SECRET_KEY"] = "sk_my_own_secret_0123456789",
        });
        await server.WaitUntilListeningAsync(Ct);
        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(dataDir, "bootstrap.json"), Ct))!;
        Assert.Equal("nf_at_my_own_token_0123456789", (string?)json["account_token"]);
        Assert.Equal("pk_my_own_public_0123456789", (string?)json["public_key"]);
        Assert.Equal("sk_my_own_secret_0123456789", (string?)json["secret_key"]);
        using var client = server.Client();
        var request = new HttpRequestMessage(HttpMethod.Get, "/admin/v1/channels");
        request.Headers.Add("x-notiflows-api-key", "pk_my_own_public_0123456789");
        request.Headers.Add("x-notiflows-secret-key", "sk_my_own_secret_0123456789");
        using var response = await client.SendAsync(request, Ct);
        Assert.Equal(200, (int)response.StatusCode);
    }

    [Theory]
    [InlineData("NOTIFLOWS_BOOTSTRAP_ACCOUNT_TOKEN", "pk_wrong_prefix_0123456789")]
    [InlineData("NOTIFLOWS_BOOTSTRAP_PUBLIC_KEY", "pk_short")]
    [InlineData("NOTIFLOWS_BOOTSTRAP_SECRET_KEY", "sk_has-a-dash-0123456789")]
    public async Task BootstrapVariable_Malformed_RefusesToStartNamingIt(string variable, string value)
    {
        var dataDir = Directory.CreateTempSubdirectory("notiflows-boot-").FullName;
        await using var server = ServerProcess.Start(new Dictionary<string, string?> { ["NOTIFLOWS_DATA_DIR"] = dataDir, [variable] = value });
        Assert.NotEqual(0, await server.WaitForExitAsync(Ct));
        Assert.Contains(variable, server.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dataDir, "bootstrap.json")));
    }

    [Fact]
    public async Task MalformedMasterKey_RefusesToStart()
    {
        var dataDir = Directory.CreateTempSubdirectory("notiflows-boot-").FullName;
        await using var server = ServerProcess.Start(new Dictionary<string, string?>
        {
            ["NOTIFLOWS_DATA_DIR"] = dataDir, ["NOTIFLOWS_MASTER_KEY"] = "not-base64-of-32-bytes",
        });
        Assert.NotEqual(0, await server.WaitForExitAsync(Ct));
        Assert.Contains("NOTIFLOWS_MASTER_KEY", server.Stderr, StringComparison.Ordinal);
    }
}
