using DotLiquid;
using Notiflows.Core.Templates;

namespace Notiflows.Core.Tests.Templates;

public sealed class LiquidFiltersTests
{
    [Theory]
    [InlineData(1234.5, "USD", "$1,234.50")]
    [InlineData(10, "EUR", "€10.00")]
    [InlineData(10, "gbp", "£10.00")]
    [InlineData(1234, "JPY", "¥1,234")]
    [InlineData(10, "CHF", "10.00 CHF")]
    [InlineData(-5, "USD", "-$5.00")]
    public void Money_FormatsMajorUnits(double amount, string currency, string expected) =>
        Assert.Equal(expected, LiquidFilters.Money(amount, currency));

    [Fact]
    public void Money_NonNumericInput_IsUnchanged() => Assert.Equal("abc", LiquidFilters.Money("abc"));

    [Fact]
    public void Money_NumericString_IsFormatted() => Assert.Equal("$1,000.00", LiquidFilters.Money(" 1000 "));

    [Fact]
    public void Json_SerialisesCompactly() =>
        Assert.Equal("""{"a":[1,"x"]}""", LiquidFilters.Json(new Dictionary<string, object> { ["a"] = new object[] { 1, "x" } }));

    [Fact]
    public void Date_FormatsRfc3339InTimeZone()
    {
        var context = new Context(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal("2024-01-02 04:04", LiquidFilters.Date(context, "2024-01-02T03:04:05Z", "%Y-%m-%d %H:%M", "Europe/Paris"));
    }

    [Fact]
    public void Date_NowUsesTheRegister()
    {
        var context = new Context(System.Globalization.CultureInfo.InvariantCulture);
        context.Registers[LiquidFilters.NowRegister] = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

        Assert.Equal("2025", LiquidFilters.Date(context, "now", "%Y"));
        Assert.Equal("1970", LiquidFilters.Date(context, 0L, "%Y"));
        Assert.Equal("junk", LiquidFilters.Date(context, "junk", "%Y"));
    }
}
