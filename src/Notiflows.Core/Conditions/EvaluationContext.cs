using System.Globalization;
using System.Text.Json.Nodes;

namespace Notiflows.Core.Conditions;

/// <summary>
/// The values conditions (§10.2) and templates (§11.2) see. User objects are shaped as §5.1 or null when absent;
/// <paramref name="Digest"/> is <c>{total_items, items}</c> after a digest step (§12.5), else null;
/// <paramref name="Run"/> is <c>{id, topic}</c>.
/// </summary>
public sealed record EvaluationContext(JsonObject Data, JsonObject? Recipient, JsonObject? Actor, JsonObject? Digest, JsonObject Run)
{
    /// <summary>
    /// Resolves a dotted property path (§10.2): roots <c>data</c>, <c>recipient</c>, <c>actor</c>, <c>digest</c>, <c>run</c>;
    /// a bare path resolves against <c>data</c>; a non-standard attribute of <c>recipient</c>/<c>actor</c> resolves to
    /// <c>custom_fields.&lt;name&gt;</c>; numeric segments index arrays; anything missing resolves to null.
    /// </summary>
    public JsonNode? Resolve(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split('.');
        switch (segments[0])
        {
            case "data":
                return Walk(Data, segments, 1);
            case "digest":
                return Walk(Digest, segments, 1);
            case "run":
                return Walk(Run, segments, 1);
            case "recipient":
                return WalkUser(Recipient, segments);
            case "actor":
                return WalkUser(Actor, segments);
            default:
                return Walk(Data, segments, 0);
        }
    }

    private static JsonNode? WalkUser(JsonObject? user, string[] segments)
    {
        if (user is null || segments.Length == 1 || UserAttributes.Standard.Contains(segments[1]))
        {
            return Walk(user, segments, 1);
        }

        return Walk(user[UserAttributes.CustomFields], segments, 1);
    }

    private static JsonNode? Walk(JsonNode? node, string[] segments, int start)
    {
        for (var i = start; i < segments.Length && node is not null; i++)
        {
            node = node switch
            {
                JsonObject obj => obj.TryGetPropertyValue(segments[i], out var child) ? child : null,
                JsonArray array => Index(array, segments[i]),
                _ => null,
            };
        }

        return node;
    }

    private static JsonNode? Index(JsonArray array, string segment) =>
        int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < array.Count ? array[index] : null;
}
