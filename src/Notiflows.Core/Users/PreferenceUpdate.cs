using System.Text.Json;
using Notiflows.Core.Common;

namespace Notiflows.Core.Users;

/// <summary>
/// A partial preferences update (§5.8) <c>{channel_types?, notiflows?}</c>: only the keys it names change. A type set to
/// null goes back to the default (allowed); a notiflow entry set to null drops everything the user set for it.
/// Notiflow keys are ids or handles as the client wrote them; the caller resolves them (<see cref="NotiflowPreferenceUpdate.Key"/>).
/// Members other than these (such as the read-only <c>name</c> and <c>handle</c> of a response sent back) are ignored.
/// </summary>
public sealed record PreferenceUpdate(IReadOnlyList<TypeSetting> ChannelTypes, IReadOnlyList<NotiflowPreferenceUpdate> Notiflows)
{
    /// <summary>The optional <paramref name="name"/> member of an object (the user upsert's <c>preferences</c>); null when absent or not an object.</summary>
    public static PreferenceUpdate? Read(ObjectReader r, string name)
    {
        var raw = r.Raw(name);
        return raw.IsPresent ? Parse(raw.Value, r.PathOf(name), r.Errors) : null;
    }

    /// <summary>
    /// Parses an update, reporting every offending member under <paramref name="prefix"/>; null when it is not an object.
    /// Offending members are left out of the result, so the caller can still check the rest (all errors are reported
    /// together, §4.4) but must not apply it when any error was found.
    /// </summary>
    public static PreferenceUpdate? Parse(JsonElement element, string prefix, List<FieldError> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(prefix, "must be an object", Reasons.Invalid));
            return null;
        }
        var r = new ObjectReader(element, prefix, errors);
        var types = Types(r, "channel_types");
        var notiflows = new List<NotiflowPreferenceUpdate>();
        if (Members(r, "notiflows") is { } entries)
        {
            foreach (var (key, value, path) in entries)
            {
                if (Notiflow(key, value, path, errors) is { } n)
                {
                    notiflows.Add(n);
                }
            }
        }
        return new PreferenceUpdate(types, notiflows);
    }

    private static NotiflowPreferenceUpdate? Notiflow(string key, JsonElement value, string path, List<FieldError> errors)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return new NotiflowPreferenceUpdate(key, path, true, default, []);
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(path, "must be an object or null", Reasons.Invalid));
            return null;
        }
        var r = new ObjectReader(value, path, errors);
        return new NotiflowPreferenceUpdate(key, path, false, r.Bool("enabled"), Types(r, "channel_types"));
    }

    /// <summary>A <c>channel_types</c> object: the six user-facing types, each a boolean or null.</summary>
    private static List<TypeSetting> Types(ObjectReader r, string name)
    {
        var settings = new List<TypeSetting>();
        foreach (var (type, value, path) in Members(r, name) ?? [])
        {
            if (!Channels.ChannelTypes.UserFacing.Contains(type, StringComparer.Ordinal))
            {
                r.Errors.Add(new FieldError(path, "must be one of " + string.Join(", ", Channels.ChannelTypes.UserFacing), Reasons.Invalid));
            }
            else if (value.ValueKind is JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null)
            {
                settings.Add(new TypeSetting(type, value.ValueKind == JsonValueKind.Null ? null : value.GetBoolean()));
            }
            else
            {
                r.Errors.Add(new FieldError(path, "must be a boolean or null", Reasons.Invalid));
            }
        }
        return settings;
    }

    /// <summary>The members of an optional object member with their paths; null (and an error) when it is not an object.</summary>
    private static List<(string Key, JsonElement Value, string Path)>? Members(ObjectReader r, string name)
    {
        var raw = r.Raw(name);
        if (!raw.IsPresent)
        {
            return null;
        }
        if (raw.Value.ValueKind != JsonValueKind.Object)
        {
            r.Add(name, "must be an object", Reasons.Invalid);
            return null;
        }
        return raw.Value.EnumerateObject().Select(p => (p.Name, p.Value, $"{r.PathOf(name)}.{p.Name}")).ToList();
    }
}

/// <summary>One channel type of an update: true or false, or null for "back to the default".</summary>
public sealed record TypeSetting(string Type, bool? Value);

/// <summary>The update of one notiflow's settings.</summary>
/// <param name="Key">The notiflow id or handle as written.</param>
/// <param name="Path">The field path of the entry, for errors the caller finds when it resolves <paramref name="Key"/>.</param>
/// <param name="Remove">The entry was null: drop everything the user set for the notiflow.</param>
/// <param name="Enabled">The switch when supplied (null means the default, enabled).</param>
/// <param name="ChannelTypes">Per-type overrides (null removes one).</param>
public sealed record NotiflowPreferenceUpdate(string Key, string Path, bool Remove, Optional<bool?> Enabled, IReadOnlyList<TypeSetting> ChannelTypes);
