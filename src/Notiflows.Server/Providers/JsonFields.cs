using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Notiflows.Server.Providers;

/// <summary>
/// Typed reads of channel configuration, user channel settings, rendered data (§11.4; unset optional fields are null) and
/// provider answers, shared by every provider.
/// </summary>
public static class JsonFields
{
    /// <summary>A value as text (numbers and booleans as their JSON text); null when absent, not a scalar, or blank.</summary>
    public static string? Text(this JsonObject? data, string key) => data?[key] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => string.IsNullOrWhiteSpace(s) ? null : s,
        JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
        _ => null,
    };

    public static long? Integer(this JsonObject? data, string key) => data.Number(key) is { } d && d == Math.Floor(d) ? (long)d : null;

    /// <summary>A number, whatever CLR type backs the node (a <c>JsonValue</c> of <c>int</c> refuses <c>TryGetValue&lt;double&gt;</c>).</summary>
    public static double? Number(this JsonObject? data, string key) => data?[key] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture),
        JsonValue v when v.TryGetValue<string>(out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    /// <summary>The JSON object in <paramref name="text"/>, or null when it is not one (an empty or HTML body, say).</summary>
    public static JsonObject? ParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Adds <paramref name="key"/> to <paramref name="target"/> when <paramref name="value"/> is set.</summary>
    public static JsonObject Put(this JsonObject target, string key, JsonNode? value)
    {
        if (value is not null && !(value is JsonObject o && o.Count == 0))
            target[key] = value;
        return target;
    }
}
