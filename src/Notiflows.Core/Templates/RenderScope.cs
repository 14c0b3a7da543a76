using System.Text.Json;
using System.Text.Json.Nodes;
using DotLiquid;

namespace Notiflows.Core.Templates;

/// <summary>Renders the fields of one template, remembering the first error (later fields are then skipped).</summary>
internal sealed class RenderScope(JsonObject templateData, Hash variables, DateTimeOffset now)
{
    public string? Error { get; private set; }

    public string? ContentType => templateData["content_type"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public bool Has(string field) => templateData[field] is not null;

    /// <summary>The rendered string field, or null when the template does not set it.</summary>
    public string? Text(string field) => Str(templateData, field) is { } source ? Render(field, source) : null;

    /// <summary>A non-Liquid field (enum, number) copied as is, or null.</summary>
    public JsonNode? Copy(string field) => templateData[field]?.DeepClone();

    /// <summary>An in-app action <c>{label, url}</c> with both rendered, or null when unset.</summary>
    public JsonObject? Action(string field) => templateData[field] is JsonObject action
        ? new JsonObject
        {
            ["label"] = Str(action, "label") is { } label ? Render($"{field}.label", label) : null,
            ["url"] = Str(action, "url") is { } url ? Render($"{field}.url", url) : null,
        }
        : null;

    /// <summary>Webhook headers: every value rendered; <c>{}</c> when unset.</summary>
    public JsonObject Headers(string field)
    {
        var headers = new JsonObject();
        if (templateData[field] is JsonObject source)
        {
            foreach (var (name, _) in source)
            {
                headers[name] = Str(source, name) is { } value ? Render($"{field}.{name}", value) : null;
            }
        }

        return headers;
    }

    /// <summary>The rendered field parsed as JSON (the parsed value may be JSON null); a parse failure is a render error.</summary>
    public JsonNode? Json(string field)
    {
        var text = Text(field);
        if (text is null)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            Error ??= $"{field}: rendered content is not valid JSON ({e.Message})";
            return null;
        }
    }

    public string? Render(string field, string source)
    {
        if (Error is not null)
        {
            return null;
        }

        var (output, error) = LiquidEngine.Render(source, variables, now);
        if (error is not null)
        {
            Error = $"{field}: {error}";
        }

        return output;
    }

    private static string? Str(JsonObject obj, string field) =>
        obj[field] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
