using System.Net.Http.Headers;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Management.Account;

/// <summary>Revoking the account's last token is refused (§8.3). Runs in a host of its own: it revokes the bootstrap token.</summary>
public abstract class LastTokenTests<TFixture>(TFixture fixture) : ApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    [Fact]
    public async Task RevokeToken_TheLastOne_Returns409LastToken()
    {
        await using var host = await TestHost.StartAsync(Kind);
        var bootstrap = host.Management();
        var bootstrapId = (string)(await SendAsync(bootstrap, HttpMethod.Get, "/management/v1/whoami")).AssertStatus(200).Body["token"]!["id"]!;

        var error = (await SendAsync(bootstrap, HttpMethod.Delete, $"/management/v1/account-tokens/{bootstrapId}")).AssertError(409, "conflict");
        Assert.Equal("last_token", (string?)error["details"]!["reason"]);
        Assert.Equal("https://notiflows.com/docs/api/errors#conflict-409", (string?)error["type"]);

        var created = (await SendAsync(bootstrap, HttpMethod.Post, "/management/v1/account-tokens", """{"name": "successor"}""")).AssertStatus(201).Body;
        var successor = host.CreateClient();
        successor.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string)created["token"]!);
        (await SendAsync(successor, HttpMethod.Delete, $"/management/v1/account-tokens/{bootstrapId}")).AssertStatus(204);
        (await SendAsync(bootstrap, HttpMethod.Get, "/management/v1/whoami")).AssertError(401, "unauthenticated");

        var self = (await SendAsync(successor, HttpMethod.Delete, $"/management/v1/account-tokens/{created["id"]}")).AssertError(409, "conflict");
        Assert.Equal("last_token", (string?)self["details"]!["reason"]);
        var list = (await SendAsync(successor, HttpMethod.Get, "/management/v1/account-tokens")).AssertStatus(200).Body;
        Assert.Equal([(string?)created["id"]], list["items"]!.AsArray().Select(t => (string?)t!["id"]));
    }
}

public sealed class SqliteLastTokenTests(SqliteFixture fixture) : LastTokenTests<SqliteFixture>(fixture);

public sealed class PostgresLastTokenTests(PostgresFixture fixture) : LastTokenTests<PostgresFixture>(fixture);
