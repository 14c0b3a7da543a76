using System.Text.Json.Nodes;
using System.Text.Json;
using Notiflows.Core.Channels;
using Notiflows.Core.Common;

namespace Notiflows.Core.Definitions;

/// <summary>Reads one element of a <c>steps</c> array into a <see cref="StepDraft"/>, checking field types (§9.5).</summary>
internal static class StepReader
{
    public static StepDraft? Read(JsonElement element, int index, ErrorSink sink, Func<Guid> newId)
    {
        var draft = new StepDraft { Index = index };
        var path = draft.Path;
        if (element.ValueKind != JsonValueKind.Object)
        {
            sink.Add(path, Reasons.Invalid, "must be an object");
            return null;
        }

        draft.Handle = JsonRead.RequiredString(element, "handle", $"{path}.handle", sink);
        if (draft.Handle is not null && !Handles.IsStepHandle(draft.Handle))
        {
            sink.Add($"{path}.handle", Reasons.Format, "must match ^[a-z_][a-z0-9_]*$ (1-64 characters)");
            draft.Handle = null;
        }

        draft.Type = JsonRead.RequiredString(element, "type", $"{path}.type", sink);
        if (draft.Type is not null && !StepTypes.All.Contains(draft.Type))
        {
            sink.Add($"{path}.type", Reasons.Invalid, "is not a known step type");
            draft.Type = null;
        }

        draft.Position = ReadPosition(element, $"{path}.position", sink);
        draft.Name = JsonRead.OptionalString(element, "name", $"{path}.name", sink, 255);
        draft.Description = JsonRead.OptionalString(element, "description", $"{path}.description", sink, 2000);
        draft.ParentStepHandle = JsonRead.OptionalString(element, "parent_step_handle", $"{path}.parent_step_handle", sink);
        draft.BranchHandle = JsonRead.OptionalString(element, "branch_handle", $"{path}.branch_handle", sink);
        ReadByType(element, draft, sink, newId);
        return draft;
    }

    private static int? ReadPosition(JsonElement element, string field, ErrorSink sink)
    {
        if (JsonRead.Get(element, "position") is not { } value)
        {
            sink.Add(field, Reasons.Required, "is required");
            return null;
        }

        if (JsonRead.Integer(value) is >= 0 and <= int.MaxValue and var position)
        {
            return (int)position;
        }

        sink.Add(field, Reasons.Invalid, "must be an integer >= 0");
        return null;
    }

    private static void ReadByType(JsonElement element, StepDraft draft, ErrorSink sink, Func<Guid> newId)
    {
        var path = draft.Path;
        var settings = JsonRead.Get(element, "settings");
        var conditions = JsonRead.Get(element, "conditions");
        switch (draft.Type)
        {
            case StepTypes.Trigger or StepTypes.End:
                if (conditions is { } given && !(given.ValueKind == JsonValueKind.Array && given.GetArrayLength() == 0))
                {
                    sink.Add($"{path}.conditions", Reasons.NotAllowed, $"is not allowed on a {draft.Type} step");
                }

                return;
            case StepTypes.Channel:
                ReadChannel(element, draft, sink, newId);
                break;
            case StepTypes.Condition:
                (draft.Settings, draft.BranchHandles) = BranchSettings.Read(settings, $"{path}.settings", sink);
                break;
            case { } type when StepTypes.IsTiming(type):
                draft.Settings = TimingSettings.Read(settings, type, $"{path}.settings", sink);
                break;
            default:
                return;
        }

        draft.Conditions = ConditionsReader.Read(conditions, $"{path}.conditions", sink);
    }

    private static void ReadChannel(JsonElement element, StepDraft draft, ErrorSink sink, Func<Guid> newId)
    {
        var path = draft.Path;
        draft.ChannelType = JsonRead.RequiredString(element, "channel_type", $"{path}.channel_type", sink);
        if (draft.ChannelType is not null && !ChannelTypes.IsValid(draft.ChannelType))
        {
            sink.Add($"{path}.channel_type", Reasons.Invalid, "is not a known channel type");
            draft.ChannelType = null;
        }

        draft.ChannelHandle = JsonRead.OptionalString(element, "channel_handle", $"{path}.channel_handle", sink);
        if (draft.ChannelHandle is not null && !Handles.IsChannelHandle(draft.ChannelHandle))
        {
            sink.Add($"{path}.channel_handle", Reasons.Format, "is not a valid channel handle");
        }

        draft.TemplateOmitted = !JsonRead.Has(element, "template");
        if (JsonRead.Get(element, "template") is { } template)
        {
            if (template.ValueKind == JsonValueKind.Object)
            {
                draft.Template = TemplateReader.Read(template, draft.ChannelType, $"{path}.template.", sink, newId);
            }
            else
            {
                sink.Add($"{path}.template", Reasons.Invalid, "must be an object or null");
            }
        }

        draft.ProviderSettings = ReadProviderSettings(JsonRead.Get(element, "provider_settings"), $"{path}.provider_settings", sink);
    }

    private static JsonObject ReadProviderSettings(JsonElement? value, string path, ErrorSink sink)
    {
        if (value is not { } obj)
        {
            return [];
        }

        if (obj.ValueKind != JsonValueKind.Object)
        {
            sink.Add(path, Reasons.Invalid, "must be an object");
            return [];
        }

        foreach (var property in obj.EnumerateObject())
        {
            if (ProviderCatalog.AllSecretFields.Contains(property.Name))
            {
                sink.Add($"{path}.{property.Name}", Reasons.NotAllowed, "secret provider fields cannot be set per step");
            }
        }

        return JsonRead.ToNode(obj)!.AsObject();
    }
}
