using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Notiflows.Core.Channels;
using Notiflows.Server.Startup;
using Notiflows.Storage.Channels;

namespace Notiflows.Server.Api.Management.Channels;

/// <summary>A channel (§5.5). <c>config</c> is present only in Management API responses, with secrets masked.</summary>
public sealed record ChannelResponse(
    Guid Id, string Handle, string Name, string Type, string Provider, bool Default, bool BuiltIn,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonObject? Config,
    string? FallbackChannel, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record PutChannelBody(
    string? Name = null, string? Type = null, string? Provider = null, JsonObject? Config = null, bool? Default = null, string? FallbackChannel = null);

public static class ChannelViews
{
    public static ChannelConfig Decrypt(ChannelRow row, MasterKey key) => new(
        JsonNode.Parse(row.Config) as JsonObject ?? [],
        row.Secrets is null ? [] : JsonNode.Parse(key.Box.Decrypt(row.Secrets)) as JsonObject ?? []);

    /// <summary>The channel's whole configuration, secrets decrypted, as one object (throws CryptographicException).</summary>
    public static JsonObject Merged(ChannelRow row, MasterKey key)
    {
        var stored = Decrypt(row, key);
        JsonObject merged = [];
        foreach (var (name, value) in stored.Public.Concat(stored.Secrets))
        {
            merged[name] = value?.DeepClone();
        }
        return merged;
    }

    public static ChannelResponse Management(ChannelRow row, MasterKey key, IReadOnlyCollection<string>? revealOnce = null) =>
        View(row, ChannelConfigMerger.Present(row.Provider, Decrypt(row, key), revealOnce ?? []));

    public static ChannelResponse WithoutConfig(ChannelRow row) => View(row, null);

    public static string? EncryptSecrets(ChannelConfig config, MasterKey key) =>
        config.Secrets.Count == 0 ? null : key.Box.Encrypt(config.Secrets.ToJsonString());

    private static ChannelResponse View(ChannelRow r, JsonObject? config) =>
        new(r.Id, r.Handle, r.Name, r.Type, r.Provider, r.IsDefault, r.BuiltIn, config, r.FallbackChannel, r.CreatedAt, r.UpdatedAt);

    public static JsonElement Undefined => default;

    public static bool IsObject(JsonElement e) => e.ValueKind == JsonValueKind.Object;
}
