using System.Text.Json;
using Notiflows.Core.Common;

namespace Notiflows.Core.Definitions;

/// <summary>Reads a template input <c>{channel_type?, data}</c> (§5.12) for a step of a known channel type.</summary>
internal static class TemplateReader
{
    /// <param name="body">The template object.</param>
    /// <param name="stepChannelType">The step's channel type, or null when it is itself invalid (data is then not checked).</param>
    /// <param name="prefix">Field path prefix including a trailing dot, or empty for a template PUT body.</param>
    /// <param name="sink">Receives the field errors.</param>
    /// <param name="newId">Source of the new template's id.</param>
    public static Template? Read(JsonElement body, string? stepChannelType, string prefix, ErrorSink sink, Func<Guid> newId)
    {
        var before = sink.Count;
        var channelType = JsonRead.OptionalString(body, "channel_type", $"{prefix}channel_type", sink);
        if (channelType is not null && stepChannelType is not null && !string.Equals(channelType, stepChannelType, StringComparison.Ordinal))
        {
            sink.Add($"{prefix}channel_type", Reasons.Invalid, $"must equal the step's channel_type ({stepChannelType})");
        }

        var dataField = $"{prefix}data";
        if (JsonRead.Get(body, "data") is not { } data)
        {
            sink.Add(dataField, Reasons.Required, "is required");
            return null;
        }

        if (data.ValueKind != JsonValueKind.Object)
        {
            sink.Add(dataField, Reasons.Invalid, "must be an object");
            return null;
        }

        if (stepChannelType is null)
        {
            return null;
        }

        var normalised = TemplateDataReader.Read(data, stepChannelType, dataField, sink);
        return sink.Count == before ? new Template(newId(), stepChannelType, normalised) : null;
    }
}
