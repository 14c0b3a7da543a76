using System.Text.Json;
using System.Text.Json.Nodes;
using Notiflows.Core.Common;

namespace Notiflows.Core.Channels;

/// <summary>Merges a channel PUT's <c>config</c> into the stored one and presents configs with secrets masked (§8.7, §14.2).</summary>
public static class ChannelConfigMerger
{
    /// <summary>
    /// Merges <paramref name="input"/> (the request's <c>config</c>) into <paramref name="stored"/> (decrypted; null on create).
    /// <list type="bullet">
    /// <item>Absent (<see cref="JsonValueKind.Undefined"/>) or <c>null</c> <c>config</c> means <c>{}</c>: on update
    /// everything stored is kept (a null config does not wipe credentials); any other non-object → <c>config</c> invalid.</item>
    /// <item>Per key: unknown keys are dropped; an omitted key keeps its stored value; <c>null</c> — or a blank string —
    /// clears it; a value replaces it; a secret sent back equal to its current <see cref="SecretMask.Mask"/> counts as
    /// omitted (for <c>headers</c>, header by header); <c>signing_secret: "generate"</c> makes a new secret, listed in
    /// <see cref="ConfigMergeResult.RevealOnce"/>.</item>
    /// <item>The stored config is always reduced to the fields of <paramref name="provider"/>, which is what a provider
    /// change needs (keys the new provider does not use are discarded, shared ones kept); <paramref name="providerChanged"/>
    /// therefore changes nothing and only documents the call.</item>
    /// <item>Defaults of §14.2 fill missing fields; then every field is checked and required fields are checked on the
    /// merged result. An invalid <paramref name="type"/> or <paramref name="provider"/> is reported on <c>type</c> /
    /// <c>provider</c>; config errors on <c>config.&lt;name&gt;</c>.</item>
    /// </list>
    /// </summary>
    public static ConfigMergeResult Merge(string type, string provider, ChannelConfig? stored, JsonElement input, bool providerChanged)
    {
        _ = providerChanged;
        var spec = ProviderCatalog.Find(type, provider);
        if (spec is null)
        {
            return Failed(ChannelTypes.IsValid(type)
                ? new FieldError("provider", $"is not a provider of channel type {type}", Reasons.Invalid)
                : new FieldError("type", $"must be one of {string.Join(", ", ChannelTypes.All)}", Reasons.Invalid));
        }

        if (input.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.Object))
        {
            return Failed(new FieldError("config", "must be an object", Reasons.Invalid));
        }

        var merged = StoredFields(spec, stored);
        var revealOnce = new List<string>();
        if (input.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in input.EnumerateObject())
            {
                if (spec.Find(property.Name) is { } field)
                {
                    Apply(field, JsonInput.ToNode(property.Value), merged, revealOnce);
                }
            }
        }

        foreach (var field in spec.Fields)
        {
            if (!merged.ContainsKey(field.Name) && field.CreateDefault() is { } value)
            {
                merged[field.Name] = value;
            }
        }

        var errors = Validate(spec, merged);
        return errors.Count > 0 ? new ConfigMergeResult(null, errors, []) : new ConfigMergeResult(Split(spec, merged), [], revealOnce);
    }

    /// <summary>
    /// The Management-API view (§8.7): public fields as stored, secret fields masked (<c>headers</c>: each value masked),
    /// except the names in <paramref name="revealOnce"/>, shown in clear. Fields follow §14.2 order.
    /// </summary>
    public static JsonObject Present(string provider, ChannelConfig config, IReadOnlyCollection<string> revealOnce) =>
        ConfigPresenter.Present(provider, config, revealOnce);

    private static void Apply(ConfigField field, JsonNode? value, JsonObject merged, List<string> revealOnce)
    {
        revealOnce.Remove(field.Name);
        if (value is null || (value.GetValueKind() == JsonValueKind.String && string.IsNullOrWhiteSpace(value.GetValue<string>())))
        {
            merged.Remove(field.Name);
            return;
        }

        var current = merged[field.Name];
        if (field.Secret && IsMaskOf(value, current))
        {
            return;
        }

        if (field.MaskEachValue && value is JsonObject entries && current is JsonObject currentEntries)
        {
            value = KeepMaskedEntries(entries, currentEntries);
        }
        else if (field.Generator is { } generate && Text(value) == WebhookSigningSecret.GenerateKeyword)
        {
            value = JsonValue.Create(generate());
            revealOnce.Add(field.Name);
        }
        else if (field.Normalize is { } normalize)
        {
            value = normalize(value);
        }

        merged[field.Name] = value;
    }

    private static JsonObject KeepMaskedEntries(JsonObject entries, JsonObject current)
    {
        var result = new JsonObject();
        foreach (var (name, value) in entries)
        {
            result[name] = value is not null && IsMaskOf(value, current[name]) ? current[name]!.DeepClone() : value?.DeepClone();
        }

        return result;
    }

    private static bool IsMaskOf(JsonNode value, JsonNode? current) =>
        Text(current) is { } secret && Text(value) is { } sent && string.Equals(sent, SecretMask.Mask(secret), StringComparison.Ordinal);

    private static List<FieldError> Validate(ProviderSpec spec, JsonObject merged)
    {
        var errors = new List<FieldError>();
        foreach (var field in spec.Fields)
        {
            var name = "config." + field.Name;
            if (merged[field.Name] is not { } value)
            {
                if (field.RequiredWhen?.Invoke(merged) == true)
                {
                    errors.Add(new FieldError(name, "is required", Reasons.Required));
                }
            }
            else if (field.Rule(value) is { } problem)
            {
                errors.Add(new FieldError(problem.SubPath is null ? name : name + "." + problem.SubPath, problem.Message, problem.Reason));
            }
        }

        if (spec.Check is not null)
        {
            errors.AddRange(spec.Check(merged));
        }

        return errors;
    }

    private static JsonObject StoredFields(ProviderSpec spec, ChannelConfig? stored)
    {
        var result = new JsonObject();
        if (stored is null)
        {
            return result;
        }

        foreach (var field in spec.Fields)
        {
            if ((stored.Secrets[field.Name] ?? stored.Public[field.Name]) is { } value)
            {
                result[field.Name] = value.DeepClone();
            }
        }

        return result;
    }

    private static ChannelConfig Split(ProviderSpec spec, JsonObject merged)
    {
        var config = ChannelConfig.Empty();
        foreach (var field in spec.Fields)
        {
            if (merged[field.Name] is { } value)
            {
                (field.Secret ? config.Secrets : config.Public)[field.Name] = value.DeepClone();
            }
        }

        return config;
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static ConfigMergeResult Failed(FieldError error) => new(null, [error], []);
}
