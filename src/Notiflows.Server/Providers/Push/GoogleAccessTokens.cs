using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Notiflows.Core.Delivery;

namespace Notiflows.Server.Providers.Push;

/// <summary>
/// OAuth 2.0 access tokens for service accounts, per RFC 7523 and Google's "OAuth 2.0 for server to server applications":
/// a JWT (RS256, <c>kid</c> = private_key_id) with <c>iss</c> = client_email, <c>scope</c>, <c>aud</c> = token_uri,
/// <c>iat</c>, <c>exp</c> = iat + 1 h is POSTed form-encoded as <c>grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer</c>
/// and <c>assertion</c>; the answer's <c>access_token</c> is cached until a minute before <c>expires_in</c> runs out.
/// </summary>
public sealed class GoogleAccessTokens(ProviderHttp http)
{
    public const string MessagingScope = "https://www.googleapis.com/auth/firebase.messaging";
    public const string GrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset RenewAt)> _cache = new(StringComparer.Ordinal);

    /// <summary>A valid access token, or the reply that ends the attempt when none could be obtained.</summary>
    public async Task<(string? Token, ProviderReply? Failure)> GetAsync(GoogleServiceAccount account, CancellationToken ct)
    {
        var now = http.Time.GetUtcNow();
        if (_cache.TryGetValue(account.CacheKey, out var cached) && now < cached.RenewAt)
            return (cached.Token, null);

        string assertion;
        try
        {
            using var key = RSA.Create();
            key.ImportFromPem(account.PrivateKey);
            assertion = PushJwt.Rs256(
                new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = account.PrivateKeyId },
                new JsonObject
                {
                    ["iss"] = account.ClientEmail,
                    ["scope"] = MessagingScope,
                    ["aud"] = account.TokenUri,
                    ["iat"] = now.ToUnixTimeSeconds(),
                    ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
                },
                key);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return (null, ProviderReply.Permanent("the service account's private_key is not a usable RSA key"));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, account.TokenUri)
        {
            Content = new FormUrlEncodedContent([new("grant_type", GrantType), new("assertion", assertion)]),
        };
        var answer = await http.SendAsync(request, ct);
        if (!answer.IsSuccess)
            return (null, answer.Reply(error: $"OAuth token request failed: HTTP {answer.Status}: {answer.Body}"));
        var body = answer.Json();
        if (body.Text("access_token") is not { } token)
            return (null, new ProviderReply(AttemptOutcome.Retryable, answer.Status, "OAuth token response without an access_token"));
        var lifetime = TimeSpan.FromSeconds(body.Integer("expires_in") ?? 3600) - TimeSpan.FromMinutes(1);
        _cache[account.CacheKey] = (token, now + lifetime);
        return (token, null);
    }

    /// <summary>Forgets the cached token (the provider rejected it), so the next call mints a new one.</summary>
    public void Invalidate(GoogleServiceAccount account) => _cache.TryRemove(account.CacheKey, out _);
}
