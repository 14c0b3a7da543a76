using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Management.Account;

/// <summary>
/// Account tokens (§8.3, §5.17). The bootstrap token is shared by every test of the class, so these tests only revoke
/// tokens they created and tolerate others; the last-token rule runs in a host of its own (<see cref="LastTokenTests{TFixture}"/>).
/// </summary>
public abstract class AccountTokenTests<TFixture>(TFixture fixture) : ApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    private HttpClient As(string token)
    {
        var client = Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task<JsonObject> CreateToken(string name = "CI") =>
        (await Mgmt(HttpMethod.Post, "/management/v1/account-tokens", $$"""{"name": "{{name}}"}""")).AssertStatus(201).Body;

    private async Task<List<JsonObject>> AllTokens()
    {
        var all = new List<JsonObject>();
        for (var page = 1; ; page++)
        {
            var body = (await Mgmt(HttpMethod.Get, $"/management/v1/account-tokens?limit=100&page={page}")).AssertStatus(200).Body;
            all.AddRange(body["items"]!.AsArray().Select(t => t!.AsObject()));
            if (page >= (int)body["page_info"]!["total_pages"]!)
            {
                return all;
            }
        }
    }

    private static DateTimeOffset? Time(JsonNode? value) =>
        value is null ? null : DateTimeOffset.Parse((string)value!, CultureInfo.InvariantCulture);

    [Fact]
    public async Task CreateToken_Returns201WithTheTokenOnce_AndItAuthenticates()
    {
        var created = await CreateToken("Deploy bot");
        Assert.Equal(["id", "name", "token_hint", "created_at", "last_used_at", "token"], created.Select(kv => kv.Key));
        var token = (string)created["token"]!;
        Assert.Matches("^nf_at_[A-Za-z0-9_]{40}$", token);
        Assert.Equal("nf_at_" + token[6..10] + "…", (string?)created["token_hint"]);
        Assert.Equal("Deploy bot", (string?)created["name"]);
        Assert.Null(created["last_used_at"]);
        Assert.Equal(Host.Time.GetUtcNow(), Time(created["created_at"]));

        var whoami = (await SendAsync(As(token), HttpMethod.Get, "/management/v1/whoami")).AssertStatus(200).Body;
        Assert.Equal((string?)created["id"], (string?)whoami["token"]!["id"]);
        Assert.Equal("Deploy bot", (string?)whoami["token"]!["name"]);
        // The new token has full access to the account's projects.
        var p = await NewProjectAsync();
        (await SendAsync(As(token), HttpMethod.Get, $"{p.Base}/channels")).AssertStatus(200);
    }

    [Fact]
    public async Task ListTokens_NeverReturnsTokenValues()
    {
        var created = await CreateToken();
        var token = (string)created["token"]!;
        var response = (await Mgmt(HttpMethod.Get, "/management/v1/account-tokens?limit=100")).AssertStatus(200);
        Assert.DoesNotContain(token, response.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(TestHost.AccountToken, response.Text, StringComparison.Ordinal);
        var items = await AllTokens();
        Assert.All(items, t =>
        {
            Assert.Equal(["id", "name", "token_hint", "created_at", "last_used_at"], t.Select(kv => kv.Key));
            Assert.Matches("^nf_at_[A-Za-z0-9_]{4}…$", (string?)t["token_hint"]);
        });
        var listed = Assert.Single(items, t => (string?)t["id"] == (string?)created["id"]);
        Assert.Equal((string?)created["token_hint"], (string?)listed["token_hint"]);
        Assert.Contains(items, t => (string?)t["token_hint"] == "nf_at_test…"); // the bootstrap token
        var info = response.Body["page_info"]!;
        Assert.Equal(items.Count, (int)info["total_count"]!);
        Assert.Equal(1, (int)info["page"]!);
    }

    [Fact]
    public async Task RenameToken_Returns200WithTheNewName()
    {
        var created = await CreateToken("old");
        var renamed = (await Mgmt(HttpMethod.Patch, $"/management/v1/account-tokens/{created["id"]}", """{"name": "new"}""")).AssertStatus(200).Body;
        Assert.Equal(["id", "name", "token_hint", "created_at", "last_used_at"], renamed.Select(kv => kv.Key));
        Assert.Equal("new", (string?)renamed["name"]);
        Assert.Equal("new", (string?)(await AllTokens()).Single(t => (string?)t["id"] == (string?)created["id"])["name"]);
        (await Mgmt(HttpMethod.Patch, $"/management/v1/account-tokens/{created["id"]}", "{}")).AssertError(422, "validation_failed", "name", "required");
        (await Mgmt(HttpMethod.Patch, $"/management/v1/account-tokens/{created["id"]}", """{"name": null}""")).AssertError(422, "validation_failed", "name", "required");
        (await Mgmt(HttpMethod.Patch, $"/management/v1/account-tokens/{created["id"]}", $$"""{"name": "{{new string('x', 256)}}"}"""))
            .AssertError(422, "validation_failed", "name", "too_long");
    }

    [Fact]
    public async Task CreateToken_WithoutName_Returns422Required()
    {
        (await Mgmt(HttpMethod.Post, "/management/v1/account-tokens", "{}")).AssertError(422, "validation_failed", "name", "required");
        (await Mgmt(HttpMethod.Post, "/management/v1/account-tokens", """{"name": 5}""")).AssertError(422, "validation_failed", "name", "invalid");
    }

    [Fact]
    public async Task RevokeToken_Returns204AndTheTokenStopsWorking()
    {
        var created = await CreateToken();
        var token = (string)created["token"]!;
        (await SendAsync(As(token), HttpMethod.Get, "/management/v1/whoami")).AssertStatus(200);
        (await Mgmt(HttpMethod.Delete, $"/management/v1/account-tokens/{created["id"]}")).AssertStatus(204);
        var error = (await SendAsync(As(token), HttpMethod.Get, "/management/v1/whoami")).AssertError(401, "unauthenticated");
        Assert.Equal("account_token", (string?)error["details"]!["auth"]);
        Assert.DoesNotContain(await AllTokens(), t => (string?)t["id"] == (string?)created["id"]);
        var again = (await Mgmt(HttpMethod.Delete, $"/management/v1/account-tokens/{created["id"]}")).AssertError(404, "not_found");
        Assert.Equal("account_token", (string?)again["details"]!["resource"]);
    }

    [Fact]
    public async Task RevokeToken_ItsOwnToken_Returns204()
    {
        var created = await CreateToken();
        var client = As((string)created["token"]!);
        (await SendAsync(client, HttpMethod.Delete, $"/management/v1/account-tokens/{created["id"]}")).AssertStatus(204);
        (await SendAsync(client, HttpMethod.Get, "/management/v1/whoami")).AssertError(401, "unauthenticated");
    }

    [Fact]
    public async Task TokenEndpoints_BadOrUnknownId_Return400Or404()
    {
        foreach (var method in new[] { HttpMethod.Patch, HttpMethod.Delete })
        {
            var bad = (await Mgmt(method, "/management/v1/account-tokens/not-a-uuid", """{"name": "x"}""")).AssertError(400, "bad_request");
            Assert.Equal("invalid_uuid", (string?)bad["details"]!["reason"]);
            Assert.Equal("id", (string?)bad["details"]!["param"]);
            var unknown = Guid.CreateVersion7().ToString();
            var missing = (await Mgmt(method, $"/management/v1/account-tokens/{unknown}", """{"name": "x"}""")).AssertError(404, "not_found");
            Assert.Equal("account_token", (string?)missing["details"]!["resource"]);
            Assert.Equal(unknown, (string?)missing["details"]!["id"]);
        }
    }

    [Fact]
    public async Task LastUsedAt_IsSetOnUse_AndUpdatedAtMostOncePerMinute()
    {
        var created = await CreateToken();
        var client = As((string)created["token"]!);
        async Task<DateTimeOffset?> LastUsed() => Time((await AllTokens()).Single(t => (string?)t["id"] == (string?)created["id"])["last_used_at"]);
        Assert.Null(await LastUsed());

        var first = Host.Time.GetUtcNow();
        var whoami = (await SendAsync(client, HttpMethod.Get, "/management/v1/whoami")).AssertStatus(200).Body;
        Assert.Equal(first, Time(whoami["token"]!["last_used_at"]));
        Assert.Equal(first, await LastUsed());

        Host.Time.Advance(TimeSpan.FromSeconds(59));
        (await SendAsync(client, HttpMethod.Get, "/management/v1/whoami")).AssertStatus(200);
        Assert.Equal(first, await LastUsed());

        Host.Time.Advance(TimeSpan.FromSeconds(2));
        (await SendAsync(client, HttpMethod.Get, "/management/v1/whoami")).AssertStatus(200);
        Assert.Equal(first.AddSeconds(61), await LastUsed());
    }
}

public sealed class SqliteAccountTokenTests(SqliteFixture fixture) : AccountTokenTests<SqliteFixture>(fixture);

public sealed class PostgresAccountTokenTests(PostgresFixture fixture) : AccountTokenTests<PostgresFixture>(fixture);
