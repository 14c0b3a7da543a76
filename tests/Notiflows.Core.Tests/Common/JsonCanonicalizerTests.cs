using System.Text.Json.Nodes;
using Notiflows.Core.Common;

namespace Notiflows.Core.Tests.Common;

public sealed class JsonCanonicalizerTests
{
    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(0.0000001, "1e-7")]
    [InlineData(123.456, "123.456")]
    [InlineData(-1.5, "-1.5")]
    [InlineData(4.5, "4.5")]
    [InlineData(2e-3, "0.002")]
    [InlineData(333333333.3333333, "333333333.3333333")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(9007199254740992, "9007199254740992")]
    [InlineData(295147905179352830000.0, "295147905179352830000")]
    [InlineData(1.2345e-10, "1.2345e-10")]
    [InlineData(1.5e300, "1.5e+300")]
    public void FormatNumber_FollowsEcmaScript(double value, string expected) =>
        Assert.Equal(expected, JsonCanonicalizer.FormatNumber(value));

    [Fact]
    public void FormatNumber_NegativeZero_IsZero()
    {
        Assert.Equal("0", JsonCanonicalizer.FormatNumber(-0.0));
        Assert.Equal("[0]", JsonCanonicalizer.Canonicalize(JsonNode.Parse("[-0]")));
    }

    [Fact]
    public void Canonicalize_Rfc8785Example_MatchesTheRfc()
    {
        var input = JsonNode.Parse("""
            {
              "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """);

        Assert.Equal(
            """{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}""",
            JsonCanonicalizer.Canonicalize(input));
    }

    [Fact]
    public void Canonicalize_SortsKeysByUtf16CodeUnits()
    {
        var input = JsonNode.Parse("""{"\u20ac":1,"\r":2,"\ud83d\ude00":3,"1":4,"\u0080":5,"\u00f6":6,"b":7,"a":8}""");

        Assert.Equal("{\"\\r\":2,\"1\":4,\"a\":8,\"b\":7,\"\u0080\":5,\"ö\":6,\"€\":1,\"😀\":3}", JsonCanonicalizer.Canonicalize(input));
    }
}
