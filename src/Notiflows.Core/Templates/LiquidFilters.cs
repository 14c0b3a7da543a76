using System.Globalization;
using DotLiquid;

namespace Notiflows.Core.Templates;

/// <summary>
/// Notiflows-specific Liquid filters (§11.1). Every public static method is a filter: DotLiquid maps method names to filter
/// names with its Ruby naming convention (<c>Money</c> → <c>money</c>). <see cref="LiquidEngine"/> adds this class to each
/// render's context, after DotLiquid's standard filters; DotLiquid then drops a standard filter of the same name only when
/// one of ours takes the same number of arguments, which is why <c>date</c> has an overload with exactly the signature of the
/// built-in one (<c>Date(Context, object, string)</c>) and <c>default</c> takes two arguments like the built-in.
/// </summary>
public static class LiquidFilters
{
    /// <summary>
    /// Key of <see cref="Context.Registers"/> holding the render time (<see cref="DateTimeOffset"/>) used by <c>date</c> for <c>"now"</c>.
    /// </summary>
    public const string NowRegister = "now";

    private static readonly Dictionary<string, (string Symbol, int Decimals, bool Prefix)> Currencies = new(StringComparer.Ordinal)
    {
        ["USD"] = ("$", 2, true),
        ["EUR"] = ("€", 2, true),
        ["GBP"] = ("£", 2, true),
        ["JPY"] = ("¥", 0, true),
    };

    /// <summary>
    /// <c>{{ 1234.5 | money }}</c> → <c>$1,234.50</c>; <c>{{ 10 | money: "CHF" }}</c> → <c>10.00 CHF</c>.
    /// Non-numeric input is returned unchanged.
    /// </summary>
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
    public static string Json(object? input) => LiquidJson.Serialize(input);

    /// <summary>The argument when the input is null, <c>""</c>, <c>false</c> or an empty array or object; else the input.</summary>
    public static object? Default(object? input, object? fallback) => input switch
    {
        null or false or "" => fallback,
        string => input,
        System.Collections.ICollection { Count: 0 } => fallback,
        _ => input,
    };

    /// <summary>Standard <c>truncatewords</c> (DotLiquid only has <c>truncate_words</c>): the first words plus the ellipsis.</summary>
    public static string? Truncatewords(string? input, int words = 15, string? ellipsis = "...")
    {
        if (string.IsNullOrEmpty(input))
        {
            return input;
        }

        var parts = input.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var keep = Math.Max(words, 1);
        return parts.Length <= keep ? input : string.Join(' ', parts.Take(keep)) + ellipsis;
    }

    /// <summary>
    /// Standard, case-sensitive <c>sort</c> (DotLiquid's ignores case): numbers numerically, everything else ordinally,
    /// nulls last; with a property, hashes are sorted by that key. Same signature as the built-in so it replaces it.
    /// </summary>
    public static System.Collections.IEnumerable? Sort(Context context, object? input, string? property = null) =>
        LiquidSort.Sort(input, property);

    /// <summary>
    /// As <see cref="Date(Context, object?, string?, string?)"/> in UTC; exactly the signature of DotLiquid's built-in <c>date</c>,
    /// so it replaces it.
    /// </summary>
    public static object? Date(Context context, object? input, string? format) => Date(context, input, format, null);

    /// <summary>
    /// strftime formatting of an RFC 3339 string, Unix seconds or <c>"now"</c> (the <see cref="NowRegister"/> register),
    /// in an optional IANA time zone (default UTC). Unparsable input is returned unchanged.
    /// </summary>
    public static object? Date(Context context, object? input, string? format, string? timeZone)
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
            case DateTimeOffset offset:
                instant = offset.ToUniversalTime();
                return true;
            case DateTime dateTime:
                instant = new DateTimeOffset(DateTime.SpecifyKind(dateTime, DateTimeKind.Utc));
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
