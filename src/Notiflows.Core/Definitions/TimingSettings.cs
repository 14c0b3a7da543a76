using System.Text.Json.Nodes;
using System.Text.Json;
using Notiflows.Core.Common;

namespace Notiflows.Core.Definitions;

/// <summary>Reads and normalises wait / digest / throttle settings (§9.3).</summary>
internal static class TimingSettings
{
    private const long MaxSeconds = 365L * 86_400;

    private static readonly Dictionary<string, (string Unit, long Seconds)> Units = new(StringComparer.Ordinal)
    {
        ["second"] = ("seconds", 1), ["seconds"] = ("seconds", 1),
        ["minute"] = ("minutes", 60), ["minutes"] = ("minutes", 60),
        ["hour"] = ("hours", 3_600), ["hours"] = ("hours", 3_600),
        ["day"] = ("days", 86_400), ["days"] = ("days", 86_400),
    };

    public static JsonObject Read(JsonElement? settings, string type, string path, ErrorSink sink)
    {
        if (settings is not { ValueKind: JsonValueKind.Object } obj)
        {
            if (settings is null)
            {
                sink.Add($"{path}.duration", Reasons.Required, "is required");
                sink.Add($"{path}.duration_unit", Reasons.Required, "is required");
            }
            else
            {
                sink.Add(path, Reasons.Invalid, "must be an object");
            }

            return [];
        }

        var duration = ReadDuration(obj, path, sink);
        var unit = ReadUnit(obj, path, sink);
        if (duration is { } d && unit is { } u && d * u.Seconds > MaxSeconds)
        {
            sink.Add($"{path}.duration", Reasons.TooLong, "must not exceed 365 days");
        }

        var result = new JsonObject { ["duration"] = (long)(duration ?? 0), ["duration_unit"] = unit?.Unit };
        var keyName = type switch { StepTypes.Digest => "digest_key", StepTypes.Throttle => "throttle_key", _ => null };
        if (keyName is not null)
        {
            var key = JsonRead.OptionalString(obj, keyName, $"{path}.{keyName}", sink);
            if (key is { Length: 0 })
            {
                sink.Add($"{path}.{keyName}", Reasons.Invalid, "must be a property path");
            }

            result[keyName] = key;
        }

        return result;
    }

    private static decimal? ReadDuration(JsonElement obj, string path, ErrorSink sink)
    {
        if (JsonRead.Get(obj, "duration") is not { } value)
        {
            sink.Add($"{path}.duration", Reasons.Required, "is required");
            return null;
        }

        if (JsonRead.Integer(value) is not { } duration)
        {
            sink.Add($"{path}.duration", Reasons.Invalid, "must be an integer");
            return null;
        }

        if (duration < 1)
        {
            sink.Add($"{path}.duration", Reasons.TooShort, "must be at least 1");
            return null;
        }

        if (duration > MaxSeconds)
        {
            sink.Add($"{path}.duration", Reasons.TooLong, "must not exceed 365 days");
            return null;
        }

        return duration;
    }

    private static (string Unit, long Seconds)? ReadUnit(JsonElement obj, string path, ErrorSink sink)
    {
        var name = JsonRead.Get(obj, "duration_unit") is not null ? "duration_unit" : "unit";
        if (JsonRead.Get(obj, name) is not { } value)
        {
            sink.Add($"{path}.duration_unit", Reasons.Required, "is required");
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && Units.TryGetValue(value.GetString()!.ToLowerInvariant(), out var unit))
        {
            return unit;
        }

        sink.Add($"{path}.{name}", Reasons.Invalid, "must be one of seconds, minutes, hours, days");
        return null;
    }
}
