using System.Security.Cryptography;
using System.Text;

namespace Notiflows.Core.Secrets;

/// <summary>Generation, shape check and hashing of API credentials (§3.1).</summary>
public static class Credentials
{
    public const string AccountTokenPrefix = "nf_at_";
    public const string PublicKeyPrefix = "pk_";
    public const string SecretKeyPrefix = "sk_";
    private const int MinBodyLength = 16;
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary><c>nf_at_</c> + 40 chars of <c>[A-Za-z0-9]</c> (≈238 bits).</summary>
    public static string NewAccountToken() => AccountTokenPrefix + RandomBody(40);

    /// <summary><c>pk_</c> + 32 chars of <c>[A-Za-z0-9]</c>.</summary>
    public static string NewPublicKey() => PublicKeyPrefix + RandomBody(32);

    /// <summary><c>sk_</c> + 40 chars of <c>[A-Za-z0-9]</c>.</summary>
    public static string NewSecretKey() => SecretKeyPrefix + RandomBody(40);

    /// <summary>
    /// True when <paramref name="value"/> is <paramref name="prefix"/> followed by at least 16 chars of <c>[A-Za-z0-9_]</c>.
    /// </summary>
    public static bool IsWellFormed(string? value, string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (value is null || !value.StartsWith(prefix, StringComparison.Ordinal) || value.Length - prefix.Length < MinBodyLength)
        {
            return false;
        }

        foreach (var c in value.AsSpan(prefix.Length))
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>SHA-256 of the UTF-8 bytes: what is stored for secret keys and account tokens.</summary>
    public static byte[] Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>Constant-time equality (length differences return false early, which leaks nothing for fixed-size hashes).</summary>
    public static bool HashEquals(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => CryptographicOperations.FixedTimeEquals(a, b);

    // RandomNumberGenerator.GetString draws each char with GetInt32(choices.Length), which uses rejection
    // sampling: every char of the alphabet is equally likely (no modulo bias).
    private static string RandomBody(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
