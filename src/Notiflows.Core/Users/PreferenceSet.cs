using System.Text.Json.Nodes;

namespace Notiflows.Core.Users;

/// <summary>
/// A user's stored preferences (§5.8): only what the user set. Stored as
/// <c>{"channel_types": {"sms": false}, "notiflows": {"&lt;id&gt;": {"enabled": false, "channel_types": {"email": true}}}}</c>;
/// everything absent is the default (allowed).
/// </summary>
public sealed class PreferenceSet
{
    public static PreferenceSet Empty => new([], []);

    private PreferenceSet(Dictionary<string, bool> channelTypes, Dictionary<Guid, NotiflowPreference> notiflows)
    {
        ChannelTypes = channelTypes;
        Notiflows = notiflows;
    }

    /// <summary>Channel-type settings the user made (a type absent here is allowed).</summary>
    public Dictionary<string, bool> ChannelTypes { get; }

    /// <summary>Per-notiflow settings the user made, keyed by notiflow id.</summary>
    public Dictionary<Guid, NotiflowPreference> Notiflows { get; }

    public static PreferenceSet Parse(string? stored)
    {
        if (string.IsNullOrEmpty(stored) || JsonNode.Parse(stored) is not JsonObject json)
        {
            return Empty;
        }
        var notiflows = new Dictionary<Guid, NotiflowPreference>();
        foreach (var (key, value) in json["notiflows"] as JsonObject ?? [])
        {
            if (Guid.TryParse(key, out var id) && value is JsonObject n)
            {
                notiflows[id] = new NotiflowPreference((bool?)n["enabled"] ?? true, Flags(n["channel_types"]));
            }
        }
        return new PreferenceSet(Flags(json["channel_types"]), notiflows);
    }

    public string Serialize()
    {
        var notiflows = new JsonObject();
        foreach (var (id, n) in Notiflows.OrderBy(p => p.Key))
        {
            var entry = new JsonObject();
            if (!n.Enabled)
            {
                entry["enabled"] = false;
            }
            if (n.ChannelTypes.Count > 0)
            {
                entry["channel_types"] = FlagsJson(n.ChannelTypes);
            }
            if (entry.Count > 0)
            {
                notiflows[id.ToString()] = entry;
            }
        }
        return new JsonObject { ["channel_types"] = FlagsJson(ChannelTypes), ["notiflows"] = notiflows }.ToJsonString();
    }

    /// <summary>
    /// Applies a partial update (§5.8) in place, in the order it was written; <paramref name="notiflowIds"/> maps each of its
    /// notiflow keys (id or handle) to the notiflow id. A notiflow entry left at the defaults (enabled, no overrides) is
    /// dropped, so the stored object keeps only what differs from them (for a notiflow, an explicit <c>true</c> override
    /// differs: it beats the user's general type setting).
    /// </summary>
    public void Apply(PreferenceUpdate update, IReadOnlyDictionary<string, Guid> notiflowIds)
    {
        Set(ChannelTypes, update.ChannelTypes);
        foreach (var n in update.Notiflows)
        {
            var id = notiflowIds[n.Key];
            if (n.Remove)
            {
                Notiflows.Remove(id);
                continue;
            }
            if (!Notiflows.TryGetValue(id, out var current))
            {
                Notiflows[id] = current = new NotiflowPreference(true, new Dictionary<string, bool>(StringComparer.Ordinal));
            }
            if (n.Enabled.IsPresent)
            {
                current.Enabled = n.Enabled.Value ?? true;
            }
            Set(current.ChannelTypes, n.ChannelTypes);
            if (current is { Enabled: true, ChannelTypes.Count: 0 })
            {
                Notiflows.Remove(id);
            }
        }
    }

    private static void Set(Dictionary<string, bool> flags, IEnumerable<TypeSetting> settings)
    {
        foreach (var (type, value) in settings)
        {
            if (value is { } set)
            {
                flags[type] = set;
            }
            else
            {
                flags.Remove(type);
            }
        }
    }

    /// <summary>
    /// The evaluation of §12.4 for a delivery of <paramref name="channelType"/> from a notiflow: a notiflow left out of
    /// preferences (critical) is always allowed; otherwise the notiflow switch, then its per-type override, then the
    /// user's type setting, else allowed. A webhook has no type preference: only the notiflow switch can block it.
    /// </summary>
    public bool Allows(Guid notiflowId, bool includeInPreferences, string channelType)
    {
        if (!includeInPreferences)
        {
            return true;
        }
        Notiflows.TryGetValue(notiflowId, out var n);
        if (n is { Enabled: false })
        {
            return false;
        }
        if (channelType == Channels.ChannelTypes.Webhook)
        {
            return true;
        }
        if (n is not null && n.ChannelTypes.TryGetValue(channelType, out var own))
        {
            return own;
        }
        return !ChannelTypes.TryGetValue(channelType, out var general) || general;
    }

    private static Dictionary<string, bool> Flags(JsonNode? node)
    {
        var flags = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var (key, value) in node as JsonObject ?? [])
        {
            if (value is JsonValue v && v.TryGetValue<bool>(out var b))
            {
                flags[key] = b;
            }
        }
        return flags;
    }

    private static JsonObject FlagsJson(Dictionary<string, bool> flags)
    {
        var json = new JsonObject();
        foreach (var (key, value) in flags.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            json[key] = value;
        }
        return json;
    }
}

/// <summary>What a user set for one notiflow: the switch and per-type overrides.</summary>
public sealed record NotiflowPreference(bool Enabled, Dictionary<string, bool> ChannelTypes)
{
    public bool Enabled { get; set; } = Enabled;
}
