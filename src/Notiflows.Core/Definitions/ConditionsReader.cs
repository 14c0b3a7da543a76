using System.Text.Json.Nodes;
using System.Text.Json;
using Notiflows.Core.Common;

namespace Notiflows.Core.Definitions;

/// <summary>Validates and normalises a <c>conditions</c> array of condition groups (§10.1).</summary>
internal static class ConditionsReader
{
    private const int MaxGroups = 10;
    private const int MaxConditions = 25;

    /// <summary>Absent or null → <c>[]</c>. Every group gets <c>operator</c>; every condition gets <c>value</c> and <c>value_type</c>.</summary>
    public static JsonArray Read(JsonElement? conditions, string path, ErrorSink sink)
    {
        var result = new JsonArray();
        if (conditions is not { } array)
        {
            return result;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            sink.Add(path, Reasons.Invalid, "must be an array of condition groups");
            return result;
        }

        if (array.GetArrayLength() > MaxGroups)
        {
            sink.Add(path, Reasons.TooMany, $"must have at most {MaxGroups} groups");
        }

        var k = 0;
        foreach (var group in array.EnumerateArray())
        {
            result.Add(ReadGroup(group, $"{path}[{k++}]", sink));
        }

        return result;
    }

    private static JsonObject ReadGroup(JsonElement group, string path, ErrorSink sink)
    {
        if (group.ValueKind != JsonValueKind.Object)
        {
            sink.Add(path, Reasons.Invalid, "must be an object");
            return [];
        }

        var op = JsonRead.OptionalString(group, "operator", $"{path}.operator", sink) ?? "and";
        if (!ConditionOperators.GroupOperators.Contains(op))
        {
            sink.Add($"{path}.operator", Reasons.Invalid, "must be and or or");
        }

        var conditions = new JsonArray();
        var field = $"{path}.conditions";
        if (JsonRead.Get(group, "conditions") is not { } items)
        {
            sink.Add(field, Reasons.Required, "is required");
        }
        else if (items.ValueKind != JsonValueKind.Array)
        {
            sink.Add(field, Reasons.Invalid, "must be an array of conditions");
        }
        else
        {
            var count = items.GetArrayLength();
            if (count == 0)
            {
                sink.Add(field, Reasons.TooShort, "must have at least 1 condition");
            }
            else if (count > MaxConditions)
            {
                sink.Add(field, Reasons.TooMany, $"must have at most {MaxConditions} conditions");
            }

            var m = 0;
            foreach (var item in items.EnumerateArray())
            {
                conditions.Add(ReadCondition(item, $"{field}[{m++}]", sink));
            }
        }

        return new JsonObject { ["operator"] = op, ["conditions"] = conditions };
    }

    private static JsonObject ReadCondition(JsonElement condition, string path, ErrorSink sink)
    {
        if (condition.ValueKind != JsonValueKind.Object)
        {
            sink.Add(path, Reasons.Invalid, "must be an object");
            return [];
        }

        var property = JsonRead.RequiredString(condition, "property", $"{path}.property", sink);
        if (property is { Length: 0 })
        {
            sink.Add($"{path}.property", Reasons.Required, "must not be empty");
        }

        var op = JsonRead.RequiredString(condition, "operator", $"{path}.operator", sink);
        if (op is not null && !ConditionOperators.All.Contains(op))
        {
            sink.Add($"{path}.operator", Reasons.Invalid, "is not a known operator");
        }

        var valueType = JsonRead.OptionalString(condition, "value_type", $"{path}.value_type", sink) ?? "static";
        if (!ConditionOperators.ValueTypes.Contains(valueType))
        {
            sink.Add($"{path}.value_type", Reasons.Invalid, "must be static or ref");
        }

        var value = JsonRead.Get(condition, "value");
        if (value is { ValueKind: JsonValueKind.Array or JsonValueKind.Object })
        {
            sink.Add($"{path}.value", Reasons.Invalid, "must be a string, number, boolean or null");
            value = null;
        }
        else if (valueType == "ref" && value is not { ValueKind: JsonValueKind.String })
        {
            sink.Add($"{path}.value", Reasons.Invalid, "must be a property path string when value_type is ref");
        }

        return new JsonObject
        {
            ["property"] = property,
            ["operator"] = op,
            ["value"] = value is { } v ? JsonRead.ToNode(v) : null,
            ["value_type"] = valueType,
        };
    }
}
