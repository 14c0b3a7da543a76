using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Notiflows.Server.Providers.Events;

/// <summary>What every event source needs: config values, headers, a tolerant JSON read and constant-time comparison.</summary>
internal static class EventReading
{
    /// <summary>A non-empty string value of the channel's configuration, or null.</summary>
    public static string? Config(InboundRequest request, string name) =>
        request.Config[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    /// <summary>A non-empty header value, or null.</summary>
    public static string? Header(InboundRequest request, string name) =>
        request.Headers.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    /// <summary>The body as a JSON object; null when it is not one (a verified body the source cannot read yields no events).</summary>
    public static JsonObject? Json(byte[] body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>An object member (<c>null</c> when absent or not an object; never throws on other JSON kinds).</summary>
    public static JsonObject? Obj(JsonNode? node, string name) => node is JsonObject o ? o[name] as JsonObject : null;

    /// <summary>A string member (<c>null</c> when absent or not a string).</summary>
    public static string? Str(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Equality in time independent of where the two differ (it still reveals a difference in length).</summary>
    public static bool SameBytes(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => CryptographicOperations.FixedTimeEquals(a, b);

    /// <summary>Constant-time equality of two strings' UTF-8 bytes.</summary>
    public static bool SameText(string a, string b) => SameBytes(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    public static IReadOnlyList<ProviderEvent> None => [];
}
