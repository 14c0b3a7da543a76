using Notiflows.Core.Channels;

namespace Notiflows.Core.Tests.Channels;

public sealed class SecretMaskTests
{
    [Theory]
    [InlineData("", "****")]
    [InlineData("abc", "****")]
    [InlineData("12345678901", "****")]
    [InlineData("123456789012", "****9012")]
    [InlineData("xoxb-1234-5678-abcdef", "****cdef")]
    public void Mask_FollowsLengthRule(string value, string expected) =>
        Assert.Equal(expected, SecretMask.Mask(value));

    [Fact]
    public void Mask_NeverRevealsMoreThanFourChars()
    {
        for (var length = 0; length < 64; length++)
        {
            var masked = SecretMask.Mask(new string('s', length));
            Assert.True(masked.Length <= 8);
            Assert.StartsWith("****", masked, StringComparison.Ordinal);
        }
    }
}
