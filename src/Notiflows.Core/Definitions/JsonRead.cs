using System.Text.Json.Nodes;
using System.Text.Json;
using Notiflows.Core.Common;

namespace Notiflows.Core.Definitions;

/// <summary>Small typed readers over <see cref="JsonElement"/> that report wrong types to an <see cref="ErrorSink"/>.</summary>
internal static class JsonRead
{
    /// <summary>The property's value, or null when it is absent or JSON null.</summary>
    public static JsonElement? Get(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static bool Has(JsonElement obj, string name) => obj.TryGetProperty(name, out _);

    /// <summary>An optional string: absent/null → null; not a string → <c>invalid</c>; longer than max → <c>too_long</c>.</summary>
    public static string? OptionalString(JsonElement obj, string name, string field, ErrorSink sink, int maxLength = int.MaxValue)
    {
        if (Get(obj, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            sink.Add(field, Reasons.Invalid, "must be a string");
            return null;
        }

        var text = value.GetString()!;
        if (text.Length > maxLength)
        {
            sink.Add(field, Reasons.TooLong, $"must be at most {maxLength} characters");
            return null;
        }

        return text;
    }

    /// <summary>A required string: absent/null → <c>required</c>; otherwise as <see cref="OptionalString"/>.</summary>
    public static string? RequiredString(JsonElement obj, string name, string field, ErrorSink sink)
    {
        if (Get(obj, name) is null)
        {
            sink.Add(field, Reasons.Required, "is required");
            return null;
        }

        return OptionalString(obj, name, field, sink);
    }

    /// <summary>An integral JSON number (e.g. <c>3</c> or <c>3.0</c>) as a decimal; null otherwise.</summary>
    public static decimal? Integer(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var number) && number == decimal.Truncate(number)
            ? number
            : null;

    /// <summary>Deep copy of an element as a node (null for JSON null).</summary>
    public static JsonNode? ToNode(JsonElement value) => JsonNode.Parse(value.GetRawText());
}
