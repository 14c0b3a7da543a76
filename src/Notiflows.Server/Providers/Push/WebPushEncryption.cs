using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Notiflows.Server.Providers.Push;

/// <summary>
/// Message encryption for Web Push, RFC 8291 (https://www.rfc-editor.org/rfc/rfc8291), in the <c>aes128gcm</c> content
/// coding of RFC 8188: an ephemeral ECDH P-256 key pair per message, the shared secret combined with the subscription's
/// auth secret (§3.3–3.4), one record of at most 4096 bytes ending with the 0x02 padding delimiter (§4).
/// </summary>
public static class WebPushEncryption
{
    public const int RecordSize = 4096;
    private const int TagSize = 16;
    private const int KeyLength = 65;

    /// <summary>
    /// The largest plaintext: push services take bodies of at most 4096 bytes, header (86) and one record with its tag (16)
    /// and padding delimiter (1) included, leaving 3993 bytes (RFC 8291 §4).
    /// </summary>
    public const int MaxPlaintext = RecordSize - 16 - 4 - 1 - KeyLength - TagSize - 1;

    /// <summary>The encrypted body: the RFC 8188 header (salt ‖ rs ‖ idlen ‖ keyid = sender public key) and one record.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> plaintext, byte[] userAgentPublicKey, byte[] authSecret)
    {
        if (authSecret.Length != 16)
            throw new CryptographicException("the auth secret must be 16 bytes (RFC 8291 §3.2)");
        using var userAgent = ImportPublicKey(userAgentPublicKey);
        using var sender = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var senderPublicKey = ExportPublicKey(sender);
        var ecdhSecret = sender.DeriveRawSecretAgreement(userAgent.PublicKey);
        var salt = RandomNumberGenerator.GetBytes(16);
        var (key, nonce) = DeriveKeyAndNonce(ecdhSecret, authSecret, userAgentPublicKey, senderPublicKey, salt);

        var header = new byte[16 + 4 + 1 + KeyLength];
        salt.CopyTo(header, 0);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(16), RecordSize);
        header[20] = KeyLength;
        senderPublicKey.CopyTo(header, 21);

        var padded = new byte[plaintext.Length + 1];
        plaintext.CopyTo(padded);
        padded[^1] = 0x02;
        var body = new byte[header.Length + padded.Length + TagSize];
        header.CopyTo(body, 0);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, padded, body.AsSpan(header.Length, padded.Length), body.AsSpan(header.Length + padded.Length));
        return body;
    }

    /// <summary>
    /// RFC 8291 §3.4: IKM = HKDF(auth_secret, ecdh_secret, "WebPush: info" ‖ 0x00 ‖ ua_public ‖ as_public, 32), then
    /// RFC 8188 §2.2–2.3: PRK = HKDF-Extract(salt, IKM); CEK = 16 bytes of "Content-Encoding: aes128gcm" ‖ 0x00;
    /// NONCE = 12 bytes of "Content-Encoding: nonce" ‖ 0x00 (one record, so the sequence number XOR is a no-op).
    /// </summary>
    private static (byte[] Key, byte[] Nonce) DeriveKeyAndNonce(
        byte[] ecdhSecret, byte[] authSecret, byte[] userAgentPublicKey, byte[] senderPublicKey, byte[] salt)
    {
        byte[] keyInfo = [.. Encoding.ASCII.GetBytes("WebPush: info\0"), .. userAgentPublicKey, .. senderPublicKey];
        var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, ecdhSecret, 32, authSecret, keyInfo);
        var prk = HKDF.Extract(HashAlgorithmName.SHA256, ikm, salt);
        var key = HKDF.Expand(HashAlgorithmName.SHA256, prk, 16, Encoding.ASCII.GetBytes("Content-Encoding: aes128gcm\0"));
        var nonce = HKDF.Expand(HashAlgorithmName.SHA256, prk, 12, Encoding.ASCII.GetBytes("Content-Encoding: nonce\0"));
        return (key, nonce);
    }

    /// <summary>Imports an uncompressed P-256 point (0x04 ‖ X ‖ Y, 65 bytes), as browsers give <c>p256dh</c>.</summary>
    public static ECDiffieHellman ImportPublicKey(byte[] point) => ECDiffieHellman.Create(PublicParameters(point));

    public static ECParameters PublicParameters(byte[] point)
    {
        if (point.Length != KeyLength || point[0] != 0x04)
            throw new CryptographicException("not an uncompressed P-256 public key");
        return new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = point[1..33], Y = point[33..] },
        };
    }

    public static byte[] ExportPublicKey(ECAlgorithm key)
    {
        var q = key.ExportParameters(false).Q;
        return [0x04, .. q.X!, .. q.Y!];
    }
}
