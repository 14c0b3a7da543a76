using System.Text.Json.Nodes;
using Notiflows.Core.Channels;
using Notiflows.Core.Common;
using Notiflows.Core.Templates;

namespace Notiflows.Core.Definitions;

/// <summary>Publish-time checks of one template (§9.6): required fields not blank, every Liquid string valid.</summary>
internal static class TemplateValidator
{
    public static void Validate(Template template, string path, ErrorSink errors)
    {
        var data = template.Data;
        foreach (var field in TemplateSchema.Fields(template.ChannelType))
        {
            var value = data[field.Name];
            if (field.Required && PublishValidator.IsBlank(value))
            {
                errors.Add($"{path}.{field.Name}", Reasons.Required, "is required");
            }
            else if (field.Kind == FieldKind.Liquid)
            {
                CheckLiquid(value, $"{path}.{field.Name}", errors);
            }
            else if (field.Kind is FieldKind.Action or FieldKind.Headers && value is JsonObject obj)
            {
                foreach (var (key, item) in obj)
                {
                    CheckLiquid(item, $"{path}.{field.Name}.{key}", errors);
                }
            }
        }

        if (template.ChannelType == ChannelTypes.InApp)
        {
            ValidateActions(data, path, errors);
        }
    }

    private static void ValidateActions(JsonObject data, string path, ErrorSink errors)
    {
        var actionType = data["action_type"]?.GetValue<string>() ?? "default";
        string[] required = actionType switch
        {
            "single" => ["primary_action"],
            "multi" => ["primary_action", "secondary_action"],
            _ => [],
        };
        foreach (var name in new[] { "primary_action", "secondary_action" })
        {
            if (data[name] is JsonObject action)
            {
                foreach (var key in new[] { "label", "url" }.Where(k => PublishValidator.IsBlank(action[k])))
                {
                    errors.Add($"{path}.{name}.{key}", Reasons.Required, "is required");
                }
            }
            else if (required.Contains(name, StringComparer.Ordinal))
            {
                errors.Add($"{path}.{name}", Reasons.Required, $"is required when action_type is {actionType}");
            }
        }
    }

    private static void CheckLiquid(JsonNode? value, string path, ErrorSink errors)
    {
        if (value is JsonValue text && text.TryGetValue<string>(out var liquid) && LiquidSyntax.Check(liquid) is { } message)
        {
            errors.Add(path, Reasons.Invalid, $"is not a valid template: {message}");
        }
    }
}
