using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Notiflows.Server.Tests.Providers.Push;

/// <summary>Verifies a compact JWS with the public half of the key it claims to be signed with, and returns its parts.</summary>
public static class TestJwt
{
    public static (JsonObject Header, JsonObject Claims) VerifyEs256(string token, ECDsa publicKey) =>
        Verify(token, (data, signature) =>
            publicKey.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));

    public static (JsonObject Header, JsonObject Claims) VerifyRs256(string token, RSA publicKey) =>
        Verify(token, (data, signature) => publicKey.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    private static (JsonObject, JsonObject) Verify(string token, Func<byte[], byte[], bool> verify)
    {
        var parts = token.Split('.');
        Assert.Equal(3, parts.Length);
        Assert.True(verify(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url.DecodeFromChars(parts[2])), "JWT signature");
        return (Part(parts[0]), Part(parts[1]));
    }

    private static JsonObject Part(string part) => JsonNode.Parse(Base64Url.DecodeFromChars(part))!.AsObject();
}
