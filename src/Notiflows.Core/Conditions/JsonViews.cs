using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Notiflows.Core.Conditions;

/// <summary>The numeric and string views of a JSON value and the comparison rule of §10.3.</summary>
internal static partial class JsonViews
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A JSON number, or a string matching the numeric pattern after trimming, as a decimal.</summary>
    public static bool TryNumeric(JsonNode? node, out decimal value)
    {
        value = 0;
        if (node is not JsonValue scalar)
        {
            return false;
        }

        switch (scalar.GetValueKind())
        {
            case JsonValueKind.Number:
                return decimal.TryParse(scalar.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);
            case JsonValueKind.String:
                var text = scalar.GetValue<string>().Trim();
                return NumericPattern().IsMatch(text)
                    && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
            default:
                return false;
        }
    }

    /// <summary>
    /// Strings as is, numbers in shortest invariant form, booleans <c>true</c>/<c>false</c>, arrays/objects as compact JSON;
    /// null → null.
    /// </summary>
    public static string? StringView(JsonNode? node)
    {
        if (node is not JsonValue scalar)
        {
            return node?.ToJsonString(Compact);
        }

        return scalar.GetValueKind() switch
        {
            JsonValueKind.String => scalar.GetValue<string>(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => NumberText(scalar.ToJsonString()),
            JsonValueKind.Null => null,
            _ => scalar.ToJsonString(Compact),
        };
    }

    /// <summary>Compares two non-null values: numerically when both have a numeric view, else ordinally by string view.</summary>
    public static int Compare(JsonNode left, JsonNode right) =>
        TryNumeric(left, out var l) && TryNumeric(right, out var r)
            ? l.CompareTo(r)
            : string.CompareOrdinal(StringView(left), StringView(right));

    /// <summary>True for JSON null as well as for a missing value.</summary>
    public static bool IsNull(JsonNode? node) => node is null || (node is JsonValue value && value.GetValueKind() == JsonValueKind.Null);

    public static bool IsContainer(JsonNode? node) => node is JsonArray or JsonObject;

    private static string NumberText(string raw)
    {
        if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer.ToString(CultureInfo.InvariantCulture);
        }

        if (decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && number == decimal.Truncate(number) && number is >= long.MinValue and <= long.MaxValue)
        {
            return ((long)number).ToString(CultureInfo.InvariantCulture);
        }

        return double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex NumericPattern();
}
