using System.Security.Cryptography;
using Notiflows.Core.Secrets;

namespace Notiflows.Core.Tests.Secrets;

public sealed class SecretBoxTests
{
    private static readonly byte[] KeyA = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] KeyB = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Theory]
    [InlineData("")]
    [InlineData("hunter2")]
    [InlineData("{\"password\":\"päss\",\"emoji\":\"🔑\"}")]
    public void EncryptDecrypt_RoundTrips(string plaintext)
    {
        var box = new SecretBox(KeyA);

        var sealedValue = box.Encrypt(plaintext);

        Assert.StartsWith("v1:", sealedValue, StringComparison.Ordinal);
        Assert.Equal(plaintext, box.Decrypt(sealedValue));
    }

    [Fact]
    public void Encrypt_SamePlaintextTwice_UsesFreshNonce()
    {
        var box = new SecretBox(KeyA);

        Assert.NotEqual(box.Encrypt("same"), box.Encrypt("same"));
    }

    [Fact]
    public void Encrypt_DoesNotContainPlaintext()
    {
        var sealedValue = new SecretBox(KeyA).Encrypt("very-secret-password");

        Assert.DoesNotContain("very-secret", sealedValue, StringComparison.Ordinal);
    }

    [Fact]
    public void Decrypt_TamperedCiphertext_Throws()
    {
        var box = new SecretBox(KeyA);
        var blob = Convert.FromBase64String(box.Encrypt("secret value")[3..]);

        for (var i = 0; i < blob.Length; i++)
        {
            var copy = (byte[])blob.Clone();
            copy[i] ^= 0x01;
            Assert.ThrowsAny<CryptographicException>(() => box.Decrypt("v1:" + Convert.ToBase64String(copy)));
        }
    }

    [Fact]
    public void Decrypt_WrongKey_Throws()
    {
        var sealedValue = new SecretBox(KeyA).Encrypt("secret value");

        Assert.ThrowsAny<CryptographicException>(() => new SecretBox(KeyB).Decrypt(sealedValue));
    }

    [Theory]
    [InlineData("")]
    [InlineData("plaintext")]
    [InlineData("v2:AAAA")]
    [InlineData("v1:not base64!")]
    [InlineData("v1:AAAA")]
    public void Decrypt_Malformed_ThrowsCryptographicException(string value) =>
        Assert.ThrowsAny<CryptographicException>(() => new SecretBox(KeyA).Decrypt(value));

    [Fact]
    public void Decrypt_WithOtherAssociatedData_Throws()
    {
        var box = new SecretBox(KeyA);
        var sealedValue = box.Encrypt("secret", "channel-1");

        Assert.Equal("secret", box.Decrypt(sealedValue, "channel-1"));
        Assert.ThrowsAny<CryptographicException>(() => box.Decrypt(sealedValue, "channel-2"));
        Assert.ThrowsAny<CryptographicException>(() => box.Decrypt(sealedValue));
    }

    [Fact]
    public void KeyCheck_IsStablePerKey_AndDiffersAcrossKeys()
    {
        var check = new SecretBox(KeyA).KeyCheck();

        Assert.Equal(check, new SecretBox((byte[])KeyA.Clone()).KeyCheck());
        Assert.NotEqual(check, new SecretBox(KeyB).KeyCheck());
        Assert.Matches("^[0-9a-f]{64}$", check);
        Assert.DoesNotContain(Convert.ToHexStringLower(KeyA), check, StringComparison.Ordinal);
    }

    [Fact]
    public void MatchesKeyCheck_TrueOnlyForOwnValue()
    {
        var box = new SecretBox(KeyA);

        Assert.True(box.MatchesKeyCheck(box.KeyCheck()));
        Assert.False(box.MatchesKeyCheck(new SecretBox(KeyB).KeyCheck()));
        Assert.False(box.MatchesKeyCheck(""));
    }

    [Fact]
    public void Constructor_CopiesKey()
    {
        var key = (byte[])KeyA.Clone();
        var box = new SecretBox(key);
        var sealedValue = box.Encrypt("x");

        key[0] ^= 0xFF;

        Assert.Equal("x", box.Decrypt(sealedValue));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(33)]
    public void Constructor_KeyNot32Bytes_Throws(int length) =>
        Assert.Throws<ArgumentException>(() => new SecretBox(new byte[length]));

    [Fact]
    public void GenerateMasterKey_ParsesBackTo32Bytes()
    {
        var first = SecretBox.GenerateMasterKey();

        Assert.Equal(32, SecretBox.ParseMasterKey(first).Length);
        Assert.NotEqual(first, SecretBox.GenerateMasterKey());
    }

    [Fact]
    public void ParseMasterKey_IgnoresSurroundingWhitespace() =>
        Assert.Equal(KeyA, SecretBox.ParseMasterKey("  " + Convert.ToBase64String(KeyA) + "\n"));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("not base64 at all!")]
    [InlineData("AAAA")]
    public void ParseMasterKey_Invalid_ThrowsFormatException(string value)
    {
        var e = Assert.Throws<FormatException>(() => SecretBox.ParseMasterKey(value));
        Assert.Contains("32", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseMasterKey_33Bytes_Throws() =>
        Assert.Throws<FormatException>(() => SecretBox.ParseMasterKey(Convert.ToBase64String(new byte[33])));
}
