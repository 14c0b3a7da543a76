using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Notiflows.Server.Tests.Engine;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.User;

/// <summary>Helpers for User API tests: signing keys, user keys (JWTs) and requests with end-user credentials.</summary>
public abstract class UserApiTests<TFixture>(TFixture fixture) : EngineTests<TFixture>(fixture) where TFixture : HostFixture
{
    /// <summary>Generates the project's signing key through the Management API; returns the private key PEM.</summary>
    protected async Task<string> SigningKeyAsync(TestProject p) =>
        (string)(await Mgmt(HttpMethod.Post, $"{p.Base}/signing-key")).AssertStatus(201).Body["private_key_pem"]!;

    protected async Task DevelopmentModeAsync(TestProject p, params string[] origins) =>
        (await Mgmt(HttpMethod.Put, $"{p.Base}/settings", JsonSerializer.Serialize(new { security_mode = false, allowed_origins = origins })))
            .AssertStatus(200);

    protected async Task AllowOriginsAsync(TestProject p, params string[] origins) =>
        (await Mgmt(HttpMethod.Put, $"{p.Base}/settings", JsonSerializer.Serialize(new { allowed_origins = origins }))).AssertStatus(200);

    /// <summary>A user key for <paramref name="sub"/>, valid for an hour from the host's clock.</summary>
    protected string UserKey(string privatePem, string sub) =>
        Jwt(privatePem, new Dictionary<string, object> { ["sub"] = sub, ["exp"] = Host.Time.GetUtcNow().AddHours(1).ToUnixTimeSeconds() });

    /// <summary>A compact JWS of <paramref name="claims"/> signed RS256 with <paramref name="privatePem"/> (header overridable).</summary>
    protected static string Jwt(string privatePem, IReadOnlyDictionary<string, object> claims, IReadOnlyDictionary<string, object>? header = null)
    {
        var signingInput = Part(header ?? new Dictionary<string, object> { ["alg"] = "RS256", ["typ"] = "JWT" }) + "." + Part(claims);
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privatePem);
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    protected static string Part(object value) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(value));

    protected Task<ApiResponse> AsUser(TestProject p, HttpMethod method, string path, string? userKey = null, string? userId = null,
        string? origin = null, string? body = null, string? publicKey = null)
    {
        var headers = new Dictionary<string, string> { ["x-notiflows-api-key"] = publicKey ?? p.PublicKey };
        if (userKey is not null)
        {
            headers["x-notiflows-user-key"] = userKey;
        }
        if (userId is not null)
        {
            headers["x-notiflows-user-id"] = userId;
        }
        if (origin is not null)
        {
            headers["Origin"] = origin;
        }
        return SendAsync(Host.CreateClient(), method, path, body, headers);
    }

    /// <summary>A project with a signing key and the user <paramref name="externalId"/>; returns the project and a user key.</summary>
    protected async Task<(TestProject Project, string Key, string Pem)> UserProjectAsync(string externalId = "jane")
    {
        var p = await NewProjectAsync();
        (await Admin(p, HttpMethod.Put, $"/admin/v1/users/{externalId}", """{"first_name": "Jane"}""")).AssertStatus(201);
        var pem = await SigningKeyAsync(p);
        return (p, UserKey(pem, externalId), pem);
    }
}
