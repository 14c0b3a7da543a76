using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Notiflows.Server.Providers.Push;

/// <summary>Typed reads of channel configuration and rendered push data (unset optional fields are null, §11.4).</summary>
public static class PushFields
{
    public static string? Text(this JsonObject? data, string key) => data?[key] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0 ? null : s,
        JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
        _ => null,
    };

    public static long? Integer(this JsonObject? data, string key) => data?[key] switch
    {
        JsonValue v when v.TryGetValue<long>(out var n) => n,
        JsonValue v when v.TryGetValue<double>(out var d) && d == Math.Floor(d) => (long)d,
        JsonValue v when v.TryGetValue<string>(out var s) && long.TryParse(s, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    public static double? Number(this JsonObject? data, string key) => data?[key] switch
    {
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v when v.TryGetValue<string>(out var s) && double.TryParse(s, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    /// <summary>Adds <paramref name="key"/> to <paramref name="target"/> when <paramref name="value"/> is set.</summary>
    public static JsonObject Put(this JsonObject target, string key, JsonNode? value)
    {
        if (value is not null && !(value is JsonObject o && o.Count == 0))
            target[key] = value;
        return target;
    }
}
