using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.User;

/// <summary>User API authentication (§3.3), allowed origins and CORS (§3.4), and the order of the checks.</summary>
public abstract class UserAuthTests<TFixture>(TFixture fixture) : UserApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    private const string Path = "/user/v1/channels";

    private static void AssertAuth(ApiResponse response, string auth, string? message = null)
    {
        var error = response.AssertError(401, "unauthenticated");
        Assert.Equal(auth, (string?)error["details"]!["auth"]);
        if (message is not null)
        {
            Assert.Contains(message, (string?)error["message"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task ValidUserKey_IsAccepted()
    {
        var (p, key, _) = await UserProjectAsync();
        var items = (await AsUser(p, HttpMethod.Get, Path, key)).AssertStatus(200).Body["items"]!.AsArray();
        Assert.Equal(7, items.Count);
        Assert.All(items, c => Assert.Null(c!["config"]));
    }

    [Fact]
    public async Task PublicKey_MissingOrUnknown_Is401ApiKey()
    {
        var (p, key, _) = await UserProjectAsync();
        AssertAuth(await SendAsync(Host.CreateClient(), HttpMethod.Get, Path, headers: new Dictionary<string, string> { ["x-notiflows-user-key"] = key }), "api_key");
        AssertAuth(await AsUser(p, HttpMethod.Get, Path, key, publicKey: "pk_" + new string('x', 32)), "api_key");
        AssertAuth(await AsUser(p, HttpMethod.Get, Path, key, publicKey: "not-a-key"), "api_key");
        AssertAuth(await AsUser(p, HttpMethod.Get, Path, key, publicKey: p.SecretKey), "api_key");
    }

    [Fact]
    public async Task SecureMode_WithoutSigningKey_RefusesEveryUserRequest()
    {
        var p = await NewProjectAsync();
        (await Admin(p, HttpMethod.Put, "/admin/v1/users/jane", "{}")).AssertStatus(201);
        AssertAuth(await AsUser(p, HttpMethod.Get, Path, userId: "jane"), "user_key", "signing key not configured");
        AssertAuth(await AsUser(p, HttpMethod.Get, Path), "user_key", "signing key not configured");
    }

    [Fact]
    public async Task SecureMode_UserIdAlone_Is401UserKey()
    {
        var (p, _, _) = await UserProjectAsync();
        AssertAuth(await AsUser(p, HttpMethod.Get, Path, userId: "jane"), "user_key");
    }

    public static TheoryData<string> BadTokens => new()
    {
        "garbage", "a.b.c", "a..c", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqYW5lIn0", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJqYW5lIn0.AAAA",
    };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task MalformedUserKey_Is401UserKey(string token)
    {
        var (p, _, _) = await UserProjectAsync();
        AssertAuth(await AsUser(p, HttpMethod.Get, Path, token), "user_key");
    }

    [Fact]
    public async Task AlgNone_AndHs256SignedWithThePublicKey_AreRefused()
    {
        var (p, _, _) = await UserProjectAsync();
        var claims = Part(new Dictionary<string, object> { ["sub"] = "jane" });
        AssertAuth(await AsUser(p, HttpMethod.Get, Path, Part(new { alg = "none", typ = "JWT" }) + "." + claims + "."), "user_key");
        AssertAuth(await AsUser(p, HttpMethod.Get, Path, Part(new { alg = "none" }) + "." + claims + ".c2ln"), "user_key");
        // The key-confusion attack: HMAC "signed" with the (public) verification key.
        var publicPem = (string)(await Mgmt(HttpMethod.Get, $"{p.Base}")).AssertStatus(200).Body["signing_key"]!["public_key_pem"]!;
        var input = Part(new { alg = "HS256", typ = "JWT" }) + "." + claims;
        var mac = System.Security.Cryptography.HMACSHA256.HashData(System.Text.Encoding.UTF8.GetBytes(publicPem), System.Text.Encoding.ASCII.GetBytes(input));
        AssertAuth(await AsUser(p, HttpMethod.Get, Path, input + "." + System.Buffers.Text.Base64Url.EncodeToString(mac)), "user_key", "RS256");
    }

    [Fact]
    public async Task UserKey_SignedByAnotherProjectsKey_OrTampered_IsRefused()
    {
        var (p, key, _) = await UserProjectAsync();
        var (_, _, otherPem) = await UserProjectAsync();
        AssertAuth(await AsUser(p, HttpMethod.Get, Path, UserKey(otherPem, "jane")), "user_key", "signature");
        var parts = key.Split('.');
        var forged = parts[0] + "." + Part(new Dictionary<string, object> { ["sub"] = "bob" }) + "." + parts[2];
        AssertAuth(await AsUser(p, HttpMethod.Get, Path, forged), "user_key", "signature");
    }

    [Fact]
    public async Task NewSigningKey_InvalidatesEarlierUserKeysAtOnce()
    {
        var (p, key, _) = await UserProjectAsync();
        (await AsUser(p, HttpMethod.Get, Path, key)).AssertStatus(200);
        var pem = await SigningKeyAsync(p);
        AssertAuth(await AsUser(p, HttpMethod.Get, Path, key), "user_key");
        (await AsUser(p, HttpMethod.Get, Path, UserKey(pem, "jane"))).AssertStatus(200);
    }

    [Fact]
    public async Task Claims_SubRequired_AndExpNbfIatEnforcedWithSixtySecondsLeeway()
    {
        var (p, _, pem) = await UserProjectAsync();
        var now = Host.Time.GetUtcNow().ToUnixTimeSeconds();
        async Task<ApiResponse> With(Dictionary<string, object> claims) => await AsUser(p, HttpMethod.Get, Path, Jwt(pem, claims));

        AssertAuth(await With(new() { ["exp"] = now + 60 }), "user_key", "sub");
        AssertAuth(await With(new() { ["sub"] = "", ["exp"] = now + 60 }), "user_key", "sub");
        AssertAuth(await With(new() { ["sub"] = 42 }), "user_key", "sub");
        (await With(new() { ["sub"] = "jane" })).AssertStatus(200); // exp is optional
        (await With(new() { ["sub"] = "jane", ["exp"] = now - 59 })).AssertStatus(200);
        AssertAuth(await With(new() { ["sub"] = "jane", ["exp"] = now - 61 }), "user_key", "expired");
        AssertAuth(await With(new() { ["sub"] = "jane", ["exp"] = "tomorrow" }), "user_key");
        (await With(new() { ["sub"] = "jane", ["nbf"] = now + 59 })).AssertStatus(200);
        AssertAuth(await With(new() { ["sub"] = "jane", ["nbf"] = now + 61 }), "user_key", "not yet valid");
        (await With(new() { ["sub"] = "jane", ["iat"] = now + 59 })).AssertStatus(200);
        AssertAuth(await With(new() { ["sub"] = "jane", ["iat"] = now + 61 }), "user_key", "future");
    }

    [Fact]
    public async Task UnknownUser_Is401UserNotFound()
    {
        var (p, _, pem) = await UserProjectAsync();
        AssertAuth(await AsUser(p, HttpMethod.Get, Path, UserKey(pem, "nobody")), "user_key", "User not found");
        // A user of another project with the same external id is not this project's user.
        var other = await NewProjectAsync();
        (await Admin(other, HttpMethod.Put, "/admin/v1/users/bob", "{}")).AssertStatus(201);
        AssertAuth(await AsUser(p, HttpMethod.Get, Path, UserKey(pem, "bob")), "user_key", "User not found");
    }

    [Fact]
    public async Task DevelopmentMode_AcceptsUserId_ButABadUserKeyNeverFallsBack()
    {
        var (p, key, _) = await UserProjectAsync();
        await DevelopmentModeAsync(p);
        (await AsUser(p, HttpMethod.Get, Path, userId: "jane")).AssertStatus(200);
        (await AsUser(p, HttpMethod.Get, Path, key, userId: "nobody")).AssertStatus(200); // the user key wins
        AssertAuth(await AsUser(p, HttpMethod.Get, Path, userId: "nobody"), "user_id", "User not found");
        AssertAuth(await AsUser(p, HttpMethod.Get, Path, "bad.token.here", userId: "jane"), "user_key");
        AssertAuth(await AsUser(p, HttpMethod.Get, Path), "user_id");
    }

    [Fact]
    public async Task DevelopmentMode_WithoutSigningKey_UserKeyIsRefused()
    {
        var p = await NewProjectAsync();
        (await Admin(p, HttpMethod.Put, "/admin/v1/users/jane", "{}")).AssertStatus(201);
        await DevelopmentModeAsync(p);
        (await AsUser(p, HttpMethod.Get, Path, userId: "jane")).AssertStatus(200);
        AssertAuth(await AsUser(p, HttpMethod.Get, Path, "a.b.c", userId: "jane"), "user_key", "signing key not configured");
    }

    [Fact]
    public async Task Origin_NotOnTheList_Is403_AndAnEmptyListBlocksEveryBrowser()
    {
        var (p, key, _) = await UserProjectAsync();
        (await AsUser(p, HttpMethod.Get, Path, key)).AssertStatus(200); // no Origin: servers and native apps
        var blocked = (await AsUser(p, HttpMethod.Get, Path, key, origin: "https://app.example.com")).AssertError(403, "forbidden");
        Assert.Equal("origin_not_allowed", (string?)blocked["details"]!["reason"]);

        await AllowOriginsAsync(p, "https://app.example.com", "http://localhost:3000");
        var allowed = (await AsUser(p, HttpMethod.Get, Path, key, origin: "https://APP.example.com:443")).AssertStatus(200);
        Assert.Equal("https://APP.example.com:443", allowed.Header("Access-Control-Allow-Origin"));
        Assert.Contains("ratelimit-remaining", allowed.Header("Access-Control-Expose-Headers"), StringComparison.Ordinal);
        (await AsUser(p, HttpMethod.Get, Path, key, origin: "http://localhost:3000")).AssertStatus(200);
        foreach (var origin in new[] { "https://evil.example.com", "http://app.example.com", "https://app.example.com:8443", "null" })
        {
            Assert.Equal("origin_not_allowed", (string?)(await AsUser(p, HttpMethod.Get, Path, key, origin: origin)).AssertError(403, "forbidden")["details"]!["reason"]);
        }
        // Errors after the origin check are readable by the allowed origin's scripts.
        var unauthenticated = await AsUser(p, HttpMethod.Get, Path, "bad.token.here", origin: "https://app.example.com");
        AssertAuth(unauthenticated, "user_key");
        Assert.Equal("https://app.example.com", unauthenticated.Header("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Checks_RunInOrder_PublicKeyThenOriginThenUserCredential()
    {
        var (p, _, _) = await UserProjectAsync();
        AssertAuth(await AsUser(p, HttpMethod.Get, Path, "bad", origin: "https://evil.example.com", publicKey: "pk_unknown_unknown_unknown"), "api_key");
        (await AsUser(p, HttpMethod.Get, Path, "bad", origin: "https://evil.example.com")).AssertError(403, "forbidden");
    }

    [Fact]
    public async Task Preflight_IsAnsweredForAnyOrigin_OnTheUserSurfaceOnly()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/user/v1/channels");
        request.Headers.Add("Origin", "https://anything.example.com");
        request.Headers.Add("Access-Control-Request-Method", "PATCH");
        using var response = await Host.CreateClient().SendAsync(request, Ct);
        Assert.Equal(204, (int)response.StatusCode);
        Assert.Equal("https://anything.example.com", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal("GET, POST, PUT, PATCH, DELETE", response.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Contains("x-notiflows-user-key", response.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.Ordinal);
        Assert.Contains("last-event-id", response.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.Ordinal);
        Assert.Equal("600", response.Headers.GetValues("Access-Control-Max-Age").Single());
        Assert.Contains("Origin", response.Headers.Vary);

        using var admin = new HttpRequestMessage(HttpMethod.Options, "/admin/v1/users");
        admin.Headers.Add("Origin", "https://anything.example.com");
        using var adminResponse = await Host.CreateClient().SendAsync(admin, Ct);
        Assert.False(adminResponse.Headers.Contains("Access-Control-Allow-Origin"));
    }
}

public sealed class SqliteUserAuthTests(SqliteFixture fixture) : UserAuthTests<SqliteFixture>(fixture);

public sealed class PostgresUserAuthTests(PostgresFixture fixture) : UserAuthTests<PostgresFixture>(fixture);
