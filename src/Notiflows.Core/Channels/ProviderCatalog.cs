namespace Notiflows.Core.Channels;

/// <summary>Which providers serve which channel type, and which of their config fields are secret (§14.2).</summary>
public static class ProviderCatalog
{
    private static readonly ProviderSpec[] Specs =
    [
        .. EmailProviderSpecs.All(),
        .. OtherProviderSpecs.All(),
        .. OtherProviderSpecs.Sandboxes(),
    ];

    private static readonly Dictionary<string, string[]> ProvidersByType = ChannelTypes.All.ToDictionary(
        t => t, t => Specs.Where(s => s.Type == t).Select(s => s.Provider).ToArray(), StringComparer.Ordinal);

    /// <summary>True when <paramref name="provider"/> belongs to channel <paramref name="type"/>.</summary>
    public static bool IsValidFor(string type, string provider) => Find(type, provider) is not null;

    /// <summary>The providers of a type in §14.2 order (<c>sandbox</c> last); empty for an unknown type.</summary>
    public static IReadOnlyList<string> ProvidersFor(string type) =>
        type is not null && ProvidersByType.TryGetValue(type, out var providers) ? providers : [];

    /// <summary>
    /// True when <paramref name="field"/> is secret (†) for <paramref name="provider"/> (of whatever type).
    /// Webhook <c>http</c> <c>headers</c> is secret as a whole: each of its values is masked.
    /// </summary>
    public static bool IsSecret(string provider, string field) =>
        Specs.Any(s => s.Provider == provider && s.Find(field) is { Secret: true });

    /// <summary>Every field name that is secret for some provider: never allowed in a step's <c>provider_settings</c> (§5.11).</summary>
    public static IReadOnlySet<string> AllSecretFields { get; } =
        Specs.SelectMany(s => s.Fields).Where(f => f.Secret).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>The config field names of a provider in §14.2 order; empty when the pair is not valid.</summary>
    public static IReadOnlyList<string> FieldsFor(string type, string provider) =>
        Find(type, provider)?.Fields.Select(f => f.Name).ToArray() ?? [];

    internal static ProviderSpec? Find(string type, string provider) =>
        Array.Find(Specs, s => s.Type == type && s.Provider == provider);

    /// <summary>Field order for presenting a config of <paramref name="provider"/> (union over its types).</summary>
    internal static IEnumerable<string> FieldOrder(string provider) =>
        Specs.Where(s => s.Provider == provider).SelectMany(s => s.Fields).Select(f => f.Name).Distinct(StringComparer.Ordinal);
}
