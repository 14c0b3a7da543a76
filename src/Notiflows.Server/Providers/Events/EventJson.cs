using System.Text.Json.Nodes;

namespace Notiflows.Server.Providers.Events;

/// <summary>Reading provider event bodies: only JSON strings count as text, anything else is absent.</summary>
public static class EventJson
{
    /// <summary>The string at <paramref name="key"/>; null when absent, not a string, or blank.</summary>
    public static string? Text(JsonObject? obj, string key) =>
        obj?[key] is JsonValue value && value.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;
}
