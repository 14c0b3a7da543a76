using System.Text.Json;
using Notiflows.Core.Common;

namespace Notiflows.Core.Definitions;

/// <summary>Parses, normalises and schema-validates (§9.5) step lists and template bodies.</summary>
public static class DefinitionParser
{
    private const int MaxSteps = 200;

    /// <summary>
    /// Parses the <c>steps</c> array of a notiflow upsert body. Error paths use the input index. For a step whose handle
    /// exists in <paramref name="currentSteps"/> with the same type and channel type, an omitted <c>template</c> key keeps
    /// the current template (§8.4.1). Steps are returned normalised and in canonical order (§9.1).
    /// </summary>
    public static DefinitionResult ParseSteps(JsonElement steps, IReadOnlyList<Step> currentSteps, Func<Guid> newId)
    {
        ArgumentNullException.ThrowIfNull(currentSteps);
        ArgumentNullException.ThrowIfNull(newId);
        var sink = new ErrorSink();
        if (steps.ValueKind != JsonValueKind.Array)
        {
            sink.Add("steps", Reasons.Invalid, "must be an array of steps");
            return new DefinitionResult([], sink.Errors);
        }

        if (steps.GetArrayLength() > MaxSteps)
        {
            sink.Add("steps", Reasons.TooMany, $"must have at most {MaxSteps} steps");
        }

        var drafts = new List<StepDraft>();
        var index = 0;
        foreach (var element in steps.EnumerateArray())
        {
            if (StepReader.Read(element, index++, sink, newId) is { } draft)
            {
                drafts.Add(draft);
            }
        }

        MergeTemplates(drafts, currentSteps);
        StructureValidator.Validate(drafts, sink);
        var complete = drafts.Where(d => d is { Handle: not null, Type: not null, Position: not null }).ToList();
        var ordered = CanonicalOrder.Sort(complete).Select(d => d.ToStep()).ToList();
        return new DefinitionResult(ordered, sink.Errors);
    }

    /// <summary>Parses a template PUT body <c>{channel_type?, data}</c> for an existing step (§8.6). Paths are relative to the body.</summary>
    public static TemplateResult ParseTemplate(JsonElement body, Step step, Func<Guid> newId)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(newId);
        var sink = new ErrorSink();
        if (step.Type != StepTypes.Channel || step.ChannelType is null)
        {
            sink.Add("step", Reasons.NotAllowed, "only channel steps have templates");
            return new TemplateResult(null, sink.Errors);
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            sink.Add("body", Reasons.Invalid, "must be an object");
            return new TemplateResult(null, sink.Errors);
        }

        var template = TemplateReader.Read(body, step.ChannelType, string.Empty, sink, newId);
        return new TemplateResult(sink.Count == 0 ? template : null, sink.Errors);
    }

    private static void MergeTemplates(List<StepDraft> drafts, IReadOnlyList<Step> currentSteps)
    {
        var current = new Dictionary<string, Step>(StringComparer.Ordinal);
        foreach (var step in currentSteps)
        {
            current.TryAdd(step.Handle, step);
        }

        foreach (var draft in drafts.Where(d => d is { Type: StepTypes.Channel, TemplateOmitted: true, Handle: not null }))
        {
            if (current.TryGetValue(draft.Handle!, out var existing)
                && existing.Type == draft.Type
                && string.Equals(existing.ChannelType, draft.ChannelType, StringComparison.Ordinal))
            {
                draft.Template = existing.Template;
            }
        }
    }
}
