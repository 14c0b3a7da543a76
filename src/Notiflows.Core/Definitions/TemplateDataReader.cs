using System.Text.Json.Nodes;
using System.Text.Json;
using Notiflows.Core.Common;

namespace Notiflows.Core.Definitions;

/// <summary>
/// Type-checks and normalises <c>template.data</c> for a channel type (§11.3): unknown keys and null values are dropped,
/// <c>content_type</c> gets its default. Required fields are checked only at publish (§9.6).
/// </summary>
internal static class TemplateDataReader
{
    public static JsonObject Read(JsonElement data, string channelType, string path, ErrorSink sink)
    {
        var result = new JsonObject();
        foreach (var field in TemplateSchema.Fields(channelType))
        {
            if (JsonRead.Get(data, field.Name) is { } value && ReadField(field, value, $"{path}.{field.Name}", sink) is { } node)
            {
                result[field.Name] = node;
            }
        }

        result["content_type"] ??= TemplateSchema.DefaultContentType(channelType);
        return result;
    }

    private static JsonNode? ReadField(TemplateField field, JsonElement value, string path, ErrorSink sink)
    {
        switch (field.Kind)
        {
            case FieldKind.Liquid or FieldKind.Stored when value.ValueKind == JsonValueKind.String:
                return value.GetString();
            case FieldKind.Enum when value.ValueKind == JsonValueKind.String && field.Values!.Contains(value.GetString()!):
                return value.GetString();
            case FieldKind.NonNegativeInteger when JsonRead.Integer(value) is >= 0 and <= long.MaxValue and var number:
                return (long)number;
            case FieldKind.Fraction when value.ValueKind == JsonValueKind.Number && value.GetDouble() is >= 0 and <= 1:
                return JsonRead.ToNode(value);
            case FieldKind.Action when value.ValueKind == JsonValueKind.Object:
                return ReadObject(value, ["label", "url"], path, sink);
            case FieldKind.Headers when value.ValueKind == JsonValueKind.Object:
                return ReadObject(value, null, path, sink);
            default:
                sink.Add(path, Reasons.Invalid, Describe(field));
                return null;
        }
    }

    /// <summary>An object of strings; with <paramref name="keys"/> only those keys are kept.</summary>
    private static JsonObject ReadObject(JsonElement value, string[]? keys, string path, ErrorSink sink)
    {
        var result = new JsonObject();
        foreach (var property in value.EnumerateObject())
        {
            if (keys is not null && !keys.Contains(property.Name, StringComparer.Ordinal))
            {
                continue;
            }

            if (property.Value.ValueKind == JsonValueKind.String)
            {
                result[property.Name] = property.Value.GetString();
            }
            else if (property.Value.ValueKind != JsonValueKind.Null || keys is null)
            {
                sink.Add($"{path}.{property.Name}", Reasons.Invalid, "must be a string");
            }
        }

        return result;
    }

    private static string Describe(TemplateField field) => field.Kind switch
    {
        FieldKind.Enum => $"must be one of {string.Join(", ", field.Values!)}",
        FieldKind.NonNegativeInteger => "must be an integer >= 0",
        FieldKind.Fraction => "must be a number between 0.0 and 1.0",
        FieldKind.Action => "must be an object {label, url}",
        FieldKind.Headers => "must be an object of strings",
        _ => "must be a string",
    };
}
