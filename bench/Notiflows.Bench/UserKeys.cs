using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Notiflows.Bench;

/// <summary>User keys (§3.3): RS256 JWTs signed with the project's signing key, made with System.Security.Cryptography alone.</summary>
internal static class UserKeys
{
    public static string Mint(RSA key, string externalId, DateTimeOffset now, TimeSpan lifetime)
    {
        static string B64(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);
        var header = B64("""{"alg":"RS256","typ":"JWT"}"""u8);
        var payload = B64(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["sub"] = externalId, ["iat"] = now.ToUnixTimeSeconds(), ["exp"] = (now + lifetime).ToUnixTimeSeconds(),
        }));
        var input = $"{header}.{payload}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{input}.{B64(signature)}";
    }
}
