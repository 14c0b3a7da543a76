using System.Text.Json.Nodes;
using Notiflows.Core.Channels;
using Notiflows.Core.Common;

namespace Notiflows.Core.Definitions;

/// <summary>Publish validation (§9.6) of a stored, normalised step list against the project's channels.</summary>
public static class PublishValidator
{
    public const string NoTemplate = "no_template";

    public static PublishReport Validate(IReadOnlyList<Step> steps, IReadOnlyList<ChannelInfo> projectChannels)
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(projectChannels);
        var errors = new ErrorSink();
        var warnings = new ErrorSink();
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            if (step.Type != StepTypes.Channel || step.ChannelType is null)
            {
                continue;
            }

            var path = $"steps[{i}]";
            var channel = ValidateChannel(step, projectChannels, path, errors);
            if (step.Template is not { } template)
            {
                warnings.Add($"{path}.template", NoTemplate, "channel step has no template; its deliveries will be skipped");
                continue;
            }

            TemplateValidator.Validate(template, $"{path}.template.data", errors);
            if (step.ChannelType == ChannelTypes.Webhook && IsBlank(template.Data["url"]) && !HasUrl(step, channel, projectChannels))
            {
                errors.Add($"{path}.template.data.url", Reasons.Required, "is required when the channel has no url");
            }
        }

        return new PublishReport(errors.Errors, warnings.Errors);
    }

    private static ChannelInfo? ValidateChannel(Step step, IReadOnlyList<ChannelInfo> channels, string path, ErrorSink errors)
    {
        var ofType = channels.Where(c => string.Equals(c.Type, step.ChannelType, StringComparison.Ordinal)).ToList();
        if (step.ChannelHandle is { } handle)
        {
            var channel = ofType.FirstOrDefault(c => string.Equals(c.Handle, handle, StringComparison.Ordinal));
            if (channel is null)
            {
                errors.Add($"{path}.channel_handle", Reasons.Invalid, $"names no {step.ChannelType} channel of the project");
            }

            return channel;
        }

        if (ofType.Count == 0)
        {
            errors.Add($"{path}.channel_type", Reasons.Invalid, $"the project has no {step.ChannelType} channel");
        }

        return ofType.FirstOrDefault(c => c.IsDefault);
    }

    private static bool HasUrl(Step step, ChannelInfo? channel, IReadOnlyList<ChannelInfo> channels) =>
        channel?.HasDefaultUrl
        ?? (step.ChannelHandle is null
            && channels.Any(c => c.HasDefaultUrl && string.Equals(c.Type, step.ChannelType, StringComparison.Ordinal)));

    internal static bool IsBlank(JsonNode? node) => node is not JsonValue value
        || !value.TryGetValue<string>(out var text) || string.IsNullOrWhiteSpace(text);
}
