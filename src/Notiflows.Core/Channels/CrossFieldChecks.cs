using System.Text.Json.Nodes;
using Notiflows.Core.Common;

namespace Notiflows.Core.Channels;

/// <summary>§14.2 rules that involve more than one config field; they run on the merged config.</summary>
internal static class CrossFieldChecks
{
    /// <summary>Twilio: exactly one of <c>from</c> and <c>messaging_service_sid</c>.</summary>
    public static IEnumerable<FieldError> Twilio(JsonObject config)
    {
        var hasFrom = config.ContainsKey("from");
        var hasService = config.ContainsKey("messaging_service_sid");
        if (!hasFrom && !hasService)
        {
            yield return new FieldError("config.from", "either from or messaging_service_sid is required", Reasons.Required);
        }
        else if (hasFrom && hasService)
        {
            yield return new FieldError("config.messaging_service_sid", "cannot be combined with from", Reasons.NotAllowed);
        }
    }

    /// <summary>FCM: the service account's <c>project_id</c> must equal <c>config.project_id</c>, else <c>invalid</c>.</summary>
    public static IEnumerable<FieldError> Fcm(JsonObject config)
    {
        if (Text(config["project_id"]) is not { } projectId || Text(config["service_account_json"]) is not { } json
            || FieldRules.TryParseObject(json) is not { } account)
        {
            yield break; // missing or malformed: already reported by the per-field rules
        }

        if (!string.Equals(Text(account["project_id"]), projectId, StringComparison.Ordinal))
        {
            yield return new FieldError("config.service_account_json", "project_id does not match config.project_id", Reasons.Invalid);
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
