using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Notiflows.Server.Providers.Push;

/// <summary>
/// APNs provider tokens ("Establishing a token-based connection to APNs"): a JWT signed ES256 with the team's .p8 key,
/// header <c>{alg: ES256, kid: key id}</c>, claims <c>{iss: team id, iat}</c>. APNs rejects tokens older than an hour and
/// refreshes more often than every 20 minutes (TooManyProviderTokenUpdates), so a token is reused for 50 minutes.
/// </summary>
public sealed class ApnsTokens(TimeProvider time)
{
    public static readonly TimeSpan Reuse = TimeSpan.FromMinutes(50);
    public static readonly TimeSpan MinimumAge = TimeSpan.FromMinutes(20);

    private readonly ConcurrentDictionary<string, (string Token, DateTimeOffset IssuedAt, DateTimeOffset RenewAt)> _cache = new(StringComparer.Ordinal);

    /// <summary>The current token for this key; throws <see cref="CryptographicException"/> or <see cref="ArgumentException"/> for an unusable key.</summary>
    public string Get(string teamId, string keyId, string keyPem)
    {
        var now = time.GetUtcNow();
        var cacheKey = CacheKey(teamId, keyId, keyPem);
        if (_cache.TryGetValue(cacheKey, out var cached) && now < cached.RenewAt)
            return cached.Token;
        using var key = ECDsa.Create();
        key.ImportFromPem(keyPem);
        var token = PushJwt.Es256(
            new JsonObject { ["alg"] = "ES256", ["kid"] = keyId },
            new JsonObject { ["iss"] = teamId, ["iat"] = now.ToUnixTimeSeconds() },
            key);
        _cache[cacheKey] = (token, now, now + Reuse);
        return token;
    }

    /// <summary>APNs said the token expired: renew it as soon as APNs allows (once it is 20 minutes old).</summary>
    public void Expire(string teamId, string keyId, string keyPem)
    {
        var cacheKey = CacheKey(teamId, keyId, keyPem);
        if (_cache.TryGetValue(cacheKey, out var cached))
            _cache.TryUpdate(cacheKey, cached with { RenewAt = cached.IssuedAt + MinimumAge }, cached);
    }

    private static string CacheKey(string teamId, string keyId, string keyPem) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{teamId}\n{keyId}\n{keyPem}")));
}
