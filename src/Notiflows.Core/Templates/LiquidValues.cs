using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DotLiquid;
using Notiflows.Core.Conditions;

namespace Notiflows.Core.Templates;

/// <summary>
/// Converts JSON to values DotLiquid understands with member names exactly as given: objects become <see cref="Hash"/>,
/// arrays <see cref="List{T}"/>, integers <see cref="long"/> (<see cref="decimal"/> beyond), other numbers <see cref="decimal"/>
/// (<see cref="double"/> beyond), plus strings, booleans and null.
/// </summary>
internal static class LiquidValues
{
    public static object? From(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => FromObject(obj),
        JsonArray array => array.Select(From).ToList(),
        JsonValue value => FromValue(value),
        _ => null,
    };

    /// <summary>A user (§5.1) with <c>custom_fields</c> merged in under the standard attributes (§11.2: <c>recipient.plan</c>).</summary>
    public static Hash? User(JsonObject? user)
    {
        if (user is null)
        {
            return null;
        }

        var hash = new Hash();
        if (user[UserAttributes.CustomFields] is JsonObject custom)
        {
            foreach (var (key, value) in custom)
            {
                hash[key] = From(value);
            }
        }

        foreach (var (key, value) in user)
        {
            hash[key] = From(value);
        }

        return hash;
    }

    private static Hash FromObject(JsonObject obj)
    {
        var hash = new Hash();
        foreach (var (key, value) in obj)
        {
            hash[key] = From(value);
        }

        return hash;
    }

    private static object? FromValue(JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return value.GetValue<string>();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                var raw = value.ToJsonString();
                if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
                {
                    return integer;
                }

                return decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    ? number
                    : double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);
            default:
                return null;
        }
    }
}
