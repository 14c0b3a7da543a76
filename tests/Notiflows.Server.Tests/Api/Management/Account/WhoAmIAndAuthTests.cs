using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Management.Account;

/// <summary><c>whoami</c> (§8.1) and Management API authentication (§3.5, §3.7). Other tests' projects may exist.</summary>
public abstract class WhoAmIAndAuthTests<TFixture>(TFixture fixture) : ApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    [Fact]
    public async Task WhoAmI_HasTheDocumentedShape()
    {
        var p = await NewProjectAsync();
        var body = (await Mgmt(HttpMethod.Get, "/management/v1/whoami")).AssertStatus(200).Body;
        Assert.Equal(["account", "token", "default_project", "projects"], body.Select(kv => kv.Key));
        Assert.Equal(["id", "name", "created_at"], body["account"]!.AsObject().Select(kv => kv.Key));
        Assert.Equal(["id", "name", "token_hint", "created_at", "last_used_at"], body["token"]!.AsObject().Select(kv => kv.Key));
        Assert.Equal(["id", "slug", "name"], body["default_project"]!.AsObject().Select(kv => kv.Key));
        Assert.Equal("nf_at_test…", (string?)body["token"]!["token_hint"]);
        Assert.NotNull(body["token"]!["last_used_at"]);
        Assert.DoesNotContain(TestHost.AccountToken, body.ToJsonString(), StringComparison.Ordinal);

        var projects = body["projects"]!.AsArray().Select(x => x!.AsObject()).ToList();
        Assert.All(projects, x => Assert.Equal(["id", "slug", "name", "default"], x.Select(kv => kv.Key)));
        var mine = Assert.Single(projects, x => (string?)x["slug"] == p.Slug);
        Assert.False((bool)mine["default"]!);
        var def = Assert.Single(projects, x => (bool)x["default"]!);
        Assert.Equal((string?)body["default_project"]!["id"], (string?)def["id"]);
        Assert.Equal((string?)body["default_project"]!["slug"], (string?)def["slug"]);
        Assert.Equal((string?)body["default_project"]!["name"], (string?)def["name"]);

        // The alias answers the same.
        var alias = (await Mgmt(HttpMethod.Get, "/api/management/v1/whoami")).AssertStatus(200).Body;
        Assert.True(JsonNode.DeepEquals(body, alias));
    }

    [Fact]
    public async Task Auth_NoAuthorization_Returns401AccountToken()
    {
        foreach (var path in new[] { "/management/v1/whoami", "/management/v1/projects", "/management/v1/channels", "/api/management/v1/account-tokens" })
        {
            AssertAccountToken(await SendAsync(Host.CreateClient(), HttpMethod.Get, path));
        }
    }

    [Theory]
    [InlineData("Basic bmZfYXRfdGVzdA==")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("Bearer not-a-token")]
    [InlineData("Bearer nf_at_short")]
    [InlineData("Bearer pk_testbootstrappublic00000000000")]
    [InlineData("nf_at_testbootstraptoken0000000000000000000")]
    [InlineData("Bearer nf_at_unknowntoken00000000000000000000000")]
    public async Task Auth_MalformedOrUnknownToken_Returns401AccountToken(string authorization)
    {
        AssertAccountToken(await SendAsync(Host.CreateClient(), HttpMethod.Get, "/management/v1/whoami",
            headers: new Dictionary<string, string> { ["Authorization"] = authorization }));
    }

    [Theory]
    [InlineData("Bearer")]
    [InlineData("bearer")]
    [InlineData("BEARER")]
    public async Task Auth_BearerScheme_IsCaseInsensitive(string scheme)
    {
        (await SendAsync(Host.CreateClient(), HttpMethod.Get, "/management/v1/whoami",
            headers: new Dictionary<string, string> { ["Authorization"] = $"{scheme} {TestHost.AccountToken}" })).AssertStatus(200);
    }

    [Fact]
    public async Task Auth_ProjectKeys_DoNotAuthenticateTheManagementApi()
    {
        var p = await NewProjectAsync();
        AssertAccountToken(await SendAsync(Host.Admin(p.PublicKey, p.SecretKey), HttpMethod.Get, "/management/v1/whoami"));
    }

    private static void AssertAccountToken(ApiResponse response)
    {
        var error = response.AssertError(401, "unauthenticated");
        Assert.Equal("account_token", (string?)error["details"]!["auth"]);
        Assert.Equal("https://notiflows.com/docs/api/errors#unauthenticated-401", (string?)error["type"]);
    }
}

public sealed class SqliteWhoAmIAndAuthTests(SqliteFixture fixture) : WhoAmIAndAuthTests<SqliteFixture>(fixture);

public sealed class PostgresWhoAmIAndAuthTests(PostgresFixture fixture) : WhoAmIAndAuthTests<PostgresFixture>(fixture);
