using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Notiflows.Server.Providers.Push;

/// <summary>Compact JWS (RFC 7515) signing for the provider tokens: ES256 (APNs, VAPID) and RS256 (Google OAuth).</summary>
public static class PushJwt
{
    /// <summary>ES256: ECDSA P-256 over SHA-256, the signature as the 64-byte r‖s concatenation (RFC 7518 §3.4).</summary>
    public static string Es256(JsonObject header, JsonObject claims, ECDsa key) =>
        Sign(header, claims, data => key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    /// <summary>RS256: RSASSA-PKCS1-v1_5 over SHA-256 (RFC 7518 §3.3).</summary>
    public static string Rs256(JsonObject header, JsonObject claims, RSA key) =>
        Sign(header, claims, data => key.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    private static string Sign(JsonObject header, JsonObject claims, Func<byte[], byte[]> sign)
    {
        var signingInput = $"{Encode(header)}.{Encode(claims)}";
        return $"{signingInput}.{Base64Url.EncodeToString(sign(Encoding.ASCII.GetBytes(signingInput)))}";
    }

    private static string Encode(JsonObject part) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(part.ToJsonString()));
}
