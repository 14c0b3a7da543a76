using Notiflows.Core.Secrets;

namespace Notiflows.Core.Tests.Secrets;

public sealed class CredentialsTests
{
    [Fact]
    public void NewAccountToken_HasPrefixAnd40AlphanumericChars() =>
        Assert.Matches("^nf_at_[A-Za-z0-9]{40}$", Credentials.NewAccountToken());

    [Fact]
    public void NewPublicKey_HasPrefixAnd32AlphanumericChars() =>
        Assert.Matches("^pk_[A-Za-z0-9]{32}$", Credentials.NewPublicKey());

    [Fact]
    public void NewSecretKey_HasPrefixAnd40AlphanumericChars() =>
        Assert.Matches("^sk_[A-Za-z0-9]{40}$", Credentials.NewSecretKey());

    [Fact]
    public void NewCredentials_AreWellFormedAndUnique()
    {
        var tokens = Enumerable.Range(0, 200).Select(_ => Credentials.NewSecretKey()).ToList();

        Assert.All(tokens, t => Assert.True(Credentials.IsWellFormed(t, "sk_")));
        Assert.Equal(tokens.Count, tokens.Distinct(StringComparer.Ordinal).Count());
        Assert.True(Credentials.IsWellFormed(Credentials.NewPublicKey(), "pk_"));
        Assert.True(Credentials.IsWellFormed(Credentials.NewAccountToken(), "nf_at_"));
    }

    [Fact]
    public void NewSecretKey_UsesWholeAlphabet()
    {
        var seen = new HashSet<char>(string.Concat(Enumerable.Range(0, 300).Select(_ => Credentials.NewSecretKey()[3..])));

        Assert.Equal(62, seen.Count);
    }

    [Theory]
    [InlineData("sk_0123456789abcdef", true)]
    [InlineData("sk_0123456789abcde_", true)]
    [InlineData("sk___________________", true)]
    [InlineData("sk_0123456789abcde", false)]
    [InlineData("sk_", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    [InlineData("SK_0123456789abcdef", false)]
    [InlineData("pk_0123456789abcdef", false)]
    [InlineData(" sk_0123456789abcdef", false)]
    [InlineData("sk_0123456789abcdef ", false)]
    [InlineData("sk_0123456789abcdef-", false)]
    [InlineData("sk_0123456789abcdéf", false)]
    [InlineData("sk_０123456789abcdef", false)]
    public void IsWellFormed_SecretKey(string? value, bool expected) =>
        Assert.Equal(expected, Credentials.IsWellFormed(value, "sk_"));

    [Fact]
    public void IsWellFormed_AccountTokenNeedsFullPrefix()
    {
        Assert.True(Credentials.IsWellFormed("nf_at_abcdefghijklmnop", "nf_at_"));
        Assert.False(Credentials.IsWellFormed("nf_abcdefghijklmnop", "nf_at_"));
    }

    [Fact]
    public void Hash_IsSha256OfUtf8()
    {
        var hash = Credentials.Hash("abc");

        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void HashEquals_ComparesContent()
    {
        var a = Credentials.Hash("sk_aaaaaaaaaaaaaaaaaaaa");

        Assert.True(Credentials.HashEquals(a, Credentials.Hash("sk_aaaaaaaaaaaaaaaaaaaa")));
        Assert.False(Credentials.HashEquals(a, Credentials.Hash("sk_aaaaaaaaaaaaaaaaaaab")));
        Assert.False(Credentials.HashEquals(a, a.AsSpan(0, 31)));
    }
}
