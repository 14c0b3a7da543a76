using System.Security.Cryptography;
using System.Text;

namespace Notiflows.Core.Secrets;

/// <summary>
/// Authenticated encryption of secret values (channel credentials, §8.7) with the server master key (§16.3):
/// AES-256-GCM, a fresh random 96-bit nonce per call, a 128-bit tag.
/// Ciphertext format: <c>"v1:" + base64(nonce | tag | ciphertext)</c>; the version prefix lets a later
/// format (or key rotation) coexist with values already stored.
/// </summary>
/// <remarks>Thread-safe: every call creates its own <see cref="AesGcm"/>.</remarks>
public sealed class SecretBox
{
    public const int KeySize = 32;
    private const string Prefix = "v1:";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private static readonly byte[] KeyCheckLabel = Encoding.UTF8.GetBytes("notiflows-key-check");

    private readonly byte[] _key;

    /// <exception cref="ArgumentException">The key is not exactly 32 bytes.</exception>
    public SecretBox(byte[] masterKey)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        if (masterKey.Length != KeySize)
        {
            throw new ArgumentException($"The master key must be {KeySize} bytes, got {masterKey.Length}.", nameof(masterKey));
        }

        _key = (byte[])masterKey.Clone();
    }

    public string Encrypt(string plaintext) => Encrypt(plaintext, associatedData: null);

    /// <summary>Encrypts and binds the ciphertext to <paramref name="associatedData"/> (e.g. a channel id), which
    /// must be given again to decrypt: a ciphertext copied to another row then fails to open.</summary>
    public string Encrypt(string plaintext, string? associatedData)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var blob = new byte[NonceSize + TagSize + plain.Length];
        var nonce = blob.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using (var aes = new AesGcm(_key, TagSize))
        {
            aes.Encrypt(nonce, plain, blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), Aad(associatedData));
        }

        CryptographicOperations.ZeroMemory(plain);
        return Prefix + Convert.ToBase64String(blob);
    }

    /// <exception cref="CryptographicException">Malformed, tampered with, or encrypted under another key.</exception>
    public string Decrypt(string ciphertext) => Decrypt(ciphertext, associatedData: null);

    /// <exception cref="CryptographicException">Malformed, tampered with, other key or other associated data.</exception>
    public string Decrypt(string ciphertext, string? associatedData)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        if (!ciphertext.StartsWith(Prefix, StringComparison.Ordinal))
        {
            throw new CryptographicException("Unknown secret format (expected a \"v1:\" value).");
        }

        byte[] blob;
        try
        {
            blob = Convert.FromBase64String(ciphertext[Prefix.Length..]);
        }
        catch (FormatException e)
        {
            throw new CryptographicException("Malformed secret value.", e);
        }

        if (blob.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("Malformed secret value.");
        }

        var plain = new byte[blob.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        var nonce = blob.AsSpan(0, NonceSize);
        var tag = blob.AsSpan(NonceSize, TagSize);
        aes.Decrypt(nonce, blob.AsSpan(NonceSize + TagSize), tag, plain, Aad(associatedData));
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>
    /// A value to store next to the data that identifies the key in use without revealing it:
    /// lowercase hex of HMAC-SHA256(key, "notiflows-key-check"). Same key → same value.
    /// </summary>
    public string KeyCheck() => Convert.ToHexStringLower(HMACSHA256.HashData(_key, KeyCheckLabel));

    /// <summary>Constant-time comparison of <paramref name="stored"/> with <see cref="KeyCheck"/>.</summary>
    public bool MatchesKeyCheck(string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(KeyCheck()), Encoding.ASCII.GetBytes(stored));
    }

    /// <summary>Parses <c>NOTIFLOWS_MASTER_KEY</c>: the base64 of exactly 32 bytes (surrounding whitespace ignored).</summary>
    /// <exception cref="FormatException">Empty, not base64, or not 32 bytes; the message never echoes the value.</exception>
    public static byte[] ParseMasterKey(string base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            throw new FormatException("The master key is empty: it must be the base64 of 32 random bytes.");
        }

        var buffer = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64.Trim(), buffer, out var written))
        {
            throw new FormatException("The master key is not valid base64: it must be the base64 of 32 random bytes.");
        }

        if (written != KeySize)
        {
            throw new FormatException($"The master key decodes to {written} bytes: it must be the base64 of exactly 32 random bytes.");
        }

        return buffer[..KeySize];
    }

    /// <summary>A new master key: the base64 of 32 bytes from the system CSPRNG.</summary>
    public static string GenerateMasterKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(KeySize));

    private static byte[]? Aad(string? associatedData) => associatedData is null ? null : Encoding.UTF8.GetBytes(associatedData);
}
