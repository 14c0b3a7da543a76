using System.Text.Json.Nodes;

namespace Notiflows.Core.Channels;

/// <summary>One field of a provider's configuration (§14.2).</summary>
internal sealed record ConfigField(string Name, FieldRule Rule)
{
    /// <summary>† in §14.2: write-only, encrypted at rest, returned masked.</summary>
    public bool Secret { get; init; }

    /// <summary>When the field is required given the merged config; null = optional.</summary>
    public Func<JsonObject, bool>? RequiredWhen { get; init; }

    /// <summary>Filled in when the merged config has no value (string or int).</summary>
    public object? Default { get; init; }

    /// <summary>Rewrites an accepted input value into its stored form (e.g. a JSON object into its text).</summary>
    public Func<JsonNode, JsonNode>? Normalize { get; init; }

    /// <summary>An object whose every value is secret (webhook <c>headers</c>): masked, and mask-compared, value by value.</summary>
    public bool MaskEachValue { get; init; }

    /// <summary>
    /// Makes the value when the input is <see cref="WebhookSigningSecret.GenerateKeyword"/>; such a field is revealed once.
    /// </summary>
    public Func<string>? Generator { get; init; }

    public ConfigField AsRequired() => this with { RequiredWhen = static _ => true };

    public ConfigField AsRequiredWhen(Func<JsonObject, bool> condition) => this with { RequiredWhen = condition };

    public ConfigField AsSecret() => this with { Secret = true };

    public ConfigField WithDefault(object value) => this with { Default = value };

    public JsonNode? CreateDefault() => Default switch
    {
        null => null,
        int i => JsonValue.Create(i),
        string s => JsonValue.Create(s),
        _ => throw new InvalidOperationException($"Unsupported default for config field {Name}."),
    };
}
