using Notiflows.Core.Users;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Api.UserSettings;

/// <summary>A user's preferences (§5.8): every user-facing type, and every notiflow a user can set preferences for, by id.</summary>
public sealed record PreferencesResponse(
    IReadOnlyDictionary<string, bool> ChannelTypes, IReadOnlyDictionary<string, NotiflowPreferencesResponse> Notiflows)
{
    public static PreferencesResponse From(PreferenceSet set, IReadOnlyList<PreferenceNotiflow> listed) => new(
        Core.Channels.ChannelTypes.UserFacing.Order(StringComparer.Ordinal).ToDictionary(t => t, t => set.ChannelTypes.GetValueOrDefault(t, true)),
        listed.ToDictionary(n => n.Id.ToString(), n =>
        {
            var own = set.Notiflows.GetValueOrDefault(n.Id);
            return new NotiflowPreferencesResponse(own?.Enabled ?? true,
                (own?.ChannelTypes ?? []).OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(), n.Name, n.Handle);
        }));
}

/// <summary>One notiflow in preferences: the switch, only the types the user set for it (<c>{}</c> if none), its name and handle.</summary>
public sealed record NotiflowPreferencesResponse(bool Enabled, IReadOnlyDictionary<string, bool> ChannelTypes, string Name, string Handle);

/// <summary>The body of <c>PUT …/preferences</c> as the OpenAPI document shows it (nulls reset, §5.8).</summary>
public sealed record PreferencesBody(IReadOnlyDictionary<string, bool?>? ChannelTypes, IReadOnlyDictionary<string, NotiflowPreferencesBody?>? Notiflows);

public sealed record NotiflowPreferencesBody(bool? Enabled, IReadOnlyDictionary<string, bool?>? ChannelTypes);
