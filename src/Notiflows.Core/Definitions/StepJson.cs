using System.Text.Json.Nodes;

namespace Notiflows.Core.Definitions;

/// <summary>The response form of a step (§5.11): all 13 snake_case fields, in the order of the spec.</summary>
public static class StepJson
{
    /// <param name="step">The step.</param>
    /// <param name="includeTemplateId">Include the template <c>id</c> (responses) or not (<see cref="VersionSha"/>).</param>
    public static JsonObject ToJson(Step step, bool includeTemplateId = true)
    {
        ArgumentNullException.ThrowIfNull(step);
        return new JsonObject
        {
            ["handle"] = step.Handle,
            ["type"] = step.Type,
            ["position"] = step.Position,
            ["name"] = step.Name,
            ["description"] = step.Description,
            ["parent_step_handle"] = step.ParentStepHandle,
            ["branch_handle"] = step.BranchHandle,
            ["channel_type"] = step.ChannelType,
            ["channel_handle"] = step.ChannelHandle,
            ["template"] = step.Template is { } template ? TemplateJson(template, includeTemplateId) : null,
            ["settings"] = step.Settings.DeepClone(),
            ["conditions"] = step.Conditions.DeepClone(),
            ["provider_settings"] = step.ProviderSettings.DeepClone(),
        };
    }

    public static JsonArray ToJson(IEnumerable<Step> steps, bool includeTemplateId = true) =>
        new([.. steps.Select(s => (JsonNode)ToJson(s, includeTemplateId))]);

    /// <summary>The response form of a template (§5.12): <c>{id, channel_type, data}</c>.</summary>
    public static JsonObject TemplateJson(Template template, bool includeId = true)
    {
        ArgumentNullException.ThrowIfNull(template);
        var json = new JsonObject();
        if (includeId)
        {
            json["id"] = template.Id.ToString("D");
        }

        json["channel_type"] = template.ChannelType;
        json["data"] = template.Data.DeepClone();
        return json;
    }
}
