using System.Text.Json;
using System.Text.Json.Nodes;

namespace Notiflows.Core.Channels;

/// <summary>Builds the masked Management-API view of a config (§8.7).</summary>
internal static class ConfigPresenter
{
    public static JsonObject Present(string provider, ChannelConfig config, IReadOnlyCollection<string> revealOnce)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(revealOnce);
        var names = ProviderCatalog.FieldOrder(provider)
            .Concat(config.Public.Select(p => p.Key))
            .Concat(config.Secrets.Select(p => p.Key))
            .Distinct(StringComparer.Ordinal);
        var view = new JsonObject();
        foreach (var name in names)
        {
            if (config.Secrets.TryGetPropertyValue(name, out var secret))
            {
                view[name] = revealOnce.Contains(name, StringComparer.Ordinal) ? secret?.DeepClone() : Mask(secret);
            }
            else if (config.Public.TryGetPropertyValue(name, out var value))
            {
                view[name] = value?.DeepClone();
            }
        }

        return view;
    }

    /// <summary>A string is masked; an object (headers) has each value masked; anything else shows only the stars.</summary>
    private static JsonNode? Mask(JsonNode? secret) => secret switch
    {
        null => null,
        JsonObject entries => new JsonObject(entries.Select(e => KeyValuePair.Create(e.Key, Mask(e.Value)))),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonValue.Create(SecretMask.Mask(v.GetValue<string>())),
        _ => JsonValue.Create(SecretMask.Stars),
    };
}
