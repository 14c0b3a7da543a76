using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Notiflows.Core.Secrets;

/// <summary>
/// Verification of user keys (§3.3): compact JWS, <c>alg</c> exactly RS256 (no <c>none</c>, no HMAC — an HS256 token
/// "signed" with the public key is the classic confusion attack), signature checked against the project's current
/// signing public key, <c>sub</c> required, and <c>exp</c>/<c>nbf</c>/<c>iat</c> enforced when present with 60 s leeway.
/// </summary>
public static class UserKeys
{
    public static readonly TimeSpan Leeway = TimeSpan.FromSeconds(60);

    /// <summary>The token's subject (the user's external id), or the reason it is refused.</summary>
    public static UserKeyResult Verify(string token, string publicKeyPem, DateTimeOffset now)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts.Any(p => p.Length == 0))
        {
            return UserKeyResult.Refused("malformed token");
        }
        JsonElement header, claims;
        byte[] signature;
        try
        {
            header = JsonSerializer.Deserialize<JsonElement>(Base64Url.DecodeFromChars(parts[0]));
            claims = JsonSerializer.Deserialize<JsonElement>(Base64Url.DecodeFromChars(parts[1]));
            signature = Base64Url.DecodeFromChars(parts[2]);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return UserKeyResult.Refused("malformed token");
        }
        if (header.ValueKind != JsonValueKind.Object || claims.ValueKind != JsonValueKind.Object)
        {
            return UserKeyResult.Refused("malformed token");
        }
        if (!header.TryGetProperty("alg", out var alg) || alg.ValueKind != JsonValueKind.String || alg.GetString() != "RS256")
        {
            return UserKeyResult.Refused("algorithm must be RS256");
        }
        using (var rsa = RSA.Create())
        {
            try
            {
                rsa.ImportFromPem(publicKeyPem);
            }
            catch (ArgumentException)
            {
                return UserKeyResult.Refused("signing key unusable");
            }
            var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            if (!rsa.VerifyData(signed, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                return UserKeyResult.Refused("invalid signature");
            }
        }
        if (!claims.TryGetProperty("sub", out var sub) || sub.ValueKind != JsonValueKind.String || sub.GetString()!.Length == 0)
        {
            return UserKeyResult.Refused("sub is required");
        }
        var (exp, nbf, iat) = (Time(claims, "exp"), Time(claims, "nbf"), Time(claims, "iat"));
        if (exp.Invalid || nbf.Invalid || iat.Invalid)
        {
            return UserKeyResult.Refused("exp, nbf and iat must be NumericDate values");
        }
        if (exp.Value is { } e && now - Leeway >= e)
        {
            return UserKeyResult.Refused("token expired");
        }
        if (nbf.Value is { } n && now + Leeway < n)
        {
            return UserKeyResult.Refused("token not yet valid");
        }
        if (iat.Value is { } i && now + Leeway < i)
        {
            return UserKeyResult.Refused("token issued in the future");
        }
        return new UserKeyResult(sub.GetString(), null, exp.Value);
    }

    /// <summary>A NumericDate claim (RFC 7519 §2: seconds since the epoch, possibly fractional); absent is fine, anything else invalid.</summary>
    private static (DateTimeOffset? Value, bool Invalid) Time(JsonElement claims, string name)
    {
        if (!claims.TryGetProperty(name, out var value))
        {
            return (null, false);
        }
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var seconds) || double.IsNaN(seconds)
            || Math.Abs(seconds) > 253402300799)
        {
            return (null, true);
        }
        return (DateTimeOffset.UnixEpoch.AddMilliseconds(seconds * 1000), false);
    }
}

/// <summary>A verified subject (and expiry, so a connection can be closed when its key expires), or the refusal.</summary>
public sealed record UserKeyResult(string? Subject, string? Error, DateTimeOffset? ExpiresAt)
{
    public static UserKeyResult Refused(string error) => new(null, error, null);
}
