using System.Globalization;
using System.Text.Json;
using DotLiquid;

namespace Notiflows.Core.Templates;

/// <summary>
/// Notiflows-specific Liquid filters (§11.1), registered with DotLiquid by <see cref="Register"/>.
/// DotLiquid maps method names to filter names with its Ruby naming convention (<c>Money</c> → <c>money</c>).
/// </summary>
public static class LiquidFilters
{
    /// <summary>Key of <see cref="Context.Registers"/> holding the render time (<see cref="DateTimeOffset"/>) used by <c>date</c> for <c>"now"</c>.</summary>
    public const string NowRegister = "now";

    private static readonly Lazy<bool> Registration = new(() =>
    {
        Template.RegisterFilter(typeof(LiquidFilters));
        return true;
    });

    private static readonly Dictionary<string, (string Symbol, int Decimals, bool Prefix)> Currencies = new(StringComparer.Ordinal)
    {
        ["USD"] = ("$", 2, true),
        ["EUR"] = ("€", 2, true),
        ["GBP"] = ("£", 2, true),
        ["JPY"] = ("¥", 0, true),
    };

    /// <summary>Registers the filters globally with DotLiquid (idempotent, thread-safe).</summary>
    public static void Register() => _ = Registration.Value;

    /// <summary><c>{{ 1234.5 | money }}</c> → <c>$1,234.50</c>; <c>{{ 10 | money: "CHF" }}</c> → <c>10.00 CHF</c>. Non-numeric input is returned unchanged.</summary>
    public static object? Money(object? input, string? currency = "USD")
    {
        if (!TryNumber(input, out var amount))
        {
            return input;
        }

        var code = (currency ?? "USD").ToUpperInvariant();
        var (symbol, decimals, prefix) = Currencies.TryGetValue(code, out var known) ? known : (code, 2, false);
        var digits = Math.Abs(amount).ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        var sign = amount < 0 ? "-" : string.Empty;
        return prefix ? $"{sign}{symbol}{digits}" : $"{sign}{digits} {symbol}";
    }

    /// <summary>Compact JSON of the input.</summary>
    public static string Json(object? input) => JsonSerializer.Serialize(input);

    /// <summary>
    /// strftime formatting of an RFC 3339 string, Unix seconds or <c>"now"</c> (the <see cref="NowRegister"/> register),
    /// in an optional IANA time zone (default UTC). Unparsable input is returned unchanged.
    /// </summary>
    public static object? Date(Context context, object? input, string? format, string? timeZone = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (format is null || !TryInstant(context, input, out var instant))
        {
            return input;
        }

        if (!string.IsNullOrEmpty(timeZone) && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone))
        {
            instant = TimeZoneInfo.ConvertTime(instant, zone);
        }

        return DotLiquid.Util.StrFTime.ToStrFTime(instant, format, CultureInfo.InvariantCulture);
    }

    private static bool TryInstant(Context context, object? input, out DateTimeOffset instant)
    {
        instant = default;
        switch (input)
        {
            case "now" when context.Registers[NowRegister] is DateTimeOffset now:
                instant = now.ToUniversalTime();
                return true;
            case string text when DateTimeOffset.TryParse(
                text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out instant):
                return true;
            default:
                if (TryNumber(input, out var seconds) && seconds is >= -62_135_596_800m and <= 253_402_300_799m)
                {
                    instant = DateTimeOffset.FromUnixTimeSeconds((long)seconds);
                    return true;
                }

                return false;
        }
    }

    private static bool TryNumber(object? input, out decimal value)
    {
        value = 0;
        return input switch
        {
            decimal d => Assign(d, out value),
            int or long or double or float => decimal.TryParse(
                Convert.ToString(input, CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out value),
            string s => decimal.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value),
            _ => false,
        };
    }

    private static bool Assign(decimal input, out decimal value)
    {
        value = input;
        return true;
    }
}
