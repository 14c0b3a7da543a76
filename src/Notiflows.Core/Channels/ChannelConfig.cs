using System.Text.Json.Nodes;

namespace Notiflows.Core.Channels;

/// <summary>
/// A channel's provider configuration split for storage: <paramref name="Secrets"/> holds the plaintext secret (†)
/// fields only, to be encrypted at rest (§16.3); <paramref name="Public"/> holds the rest. Both follow §14.2 field order.
/// </summary>
public sealed record ChannelConfig(JsonObject Public, JsonObject Secrets)
{
    /// <summary>A fresh empty config (its objects are mutable, so there is no shared instance).</summary>
    public static ChannelConfig Empty() => new([], []);
}
