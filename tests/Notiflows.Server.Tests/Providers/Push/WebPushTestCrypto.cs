using System.Buffers.Binary;
using System.Security.Cryptography;
using Notiflows.Server.Providers.Push;

namespace Notiflows.Server.Tests.Providers.Push;

/// <summary>The user agent's half of web push encryption, for tests that read what the server sent.</summary>
public static class WebPushTestCrypto
{
    /// <summary>The user agent's side of RFC 8291: read the RFC 8188 header, derive the key and nonce, open the record.</summary>
    public static string Decrypt(byte[] body, ECDiffieHellman subscriptionKey, byte[] authSecret)
    {
        var salt = body[..16];
        Assert.Equal(4096u, BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16)));
        Assert.Equal(65, body[20]);
        var senderPublicKey = body[21..86];
        using var sender = WebPushEncryption.ImportPublicKey(senderPublicKey);
        var secret = subscriptionKey.DeriveRawSecretAgreement(sender.PublicKey);
        // RFC 8291 §3.4, spelled out with HMAC-SHA-256 as the RFC's pseudocode does (independent of the provider's HKDF calls).
        byte[] keyInfo = [.. "WebPush: info\0"u8, .. WebPushEncryption.ExportPublicKey(subscriptionKey), .. senderPublicKey, 0x01];
        var ikm = HMACSHA256.HashData(HMACSHA256.HashData(authSecret, secret), keyInfo);
        var prk = HMACSHA256.HashData(salt, ikm);
        var key = HMACSHA256.HashData(prk, (byte[])[.. "Content-Encoding: aes128gcm\0"u8, 0x01])[..16];
        var nonce = HMACSHA256.HashData(prk, (byte[])[.. "Content-Encoding: nonce\0"u8, 0x01])[..12];
        var record = body[86..];
        var plaintext = new byte[record.Length - 16];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(nonce, record[..^16], record[^16..], plaintext);
        var end = Array.FindLastIndex(plaintext, b => b != 0);
        Assert.Equal(0x02, plaintext[end]);
        return System.Text.Encoding.UTF8.GetString(plaintext, 0, end);
    }
}
