using System.Text.Json;
using Notiflows.Core.Common;
using Notiflows.Core.Users;
using Notiflows.Server.Api.Management.Channels;
using Notiflows.Storage.Database;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Api.Admin.Users;

/// <summary>
/// The write-only <c>channel_settings</c> of a user upsert (§5.1): channel id or handle → settings object, each entry
/// replacing that channel's blob as <c>PUT …/channel-settings/{channel_id}</c> does; an entry set to <c>null</c> removes
/// the channel's settings (§4.1: an explicit null clears). Resolved and validated inside the upsert's transaction, before
/// anything is written, so one bad entry rejects the whole request.
/// </summary>
public sealed class UserChannelSettings
{
    private readonly List<(string Key, JsonElement Value)> _entries;
    private readonly List<(Guid ChannelId, string? Blob)> _writes = [];

    private UserChannelSettings(List<(string, JsonElement)> entries) => _entries = entries;

    /// <summary>Reads the field (absent or null: nothing to do); anything but an object is 422 invalid.</summary>
    public static UserChannelSettings Read(ObjectReader r)
    {
        var raw = r.Raw("channel_settings");
        if (raw.IsPresent && raw.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
        {
            r.Add("channel_settings", "must be an object mapping channel ids or handles to settings objects", Reasons.Invalid);
        }
        return new(raw.IsPresent && raw.Value.ValueKind == JsonValueKind.Object
            ? raw.Value.EnumerateObject().Select(p => (p.Name, p.Value)).ToList()
            : []);
    }

    /// <summary>
    /// Resolves every key to a channel of the project and validates its settings. Returns <paramref name="earlier"/> (the
    /// request's other errors) followed by these, under <c>channel_settings.&lt;key&gt;</c>; a fresh list, so that a
    /// transaction run again (PostgreSQL deadlock retry) starts over.
    /// </summary>
    public async Task<List<FieldError>> ResolveAsync(DbSession s, Guid projectId, IReadOnlyList<FieldError> earlier, CancellationToken ct)
    {
        var errors = new List<FieldError>(earlier);
        _writes.Clear();
        foreach (var (key, value) in _entries)
        {
            var path = $"channel_settings.{key}";
            if (await ChannelWriter.FindAsync(s, projectId, key, ct) is not { } channel)
            {
                errors.Add(new FieldError(path, "is not a channel id or handle of this project", Reasons.Invalid));
            }
            else if (value.ValueKind == JsonValueKind.Null && ChannelSettingsRules.TakesSettings(channel.Type))
            {
                _writes.Add((channel.Id, null));
            }
            else if (ChannelSettingsRules.Validate(channel.Type, channel.Provider, new(true, value), path, errors) is { } blob)
            {
                _writes.Add((channel.Id, blob.ToJsonString()));
            }
        }
        return errors;
    }

    /// <summary>Writes the resolved entries for the (now upserted) user, in request order.</summary>
    public async Task ApplyAsync(DbSession s, UserRow user, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var (channelId, blob) in _writes)
        {
            if (blob is null)
            {
                await ChannelSettingsStore.DeleteAsync(s, user.Id, channelId, ct);
            }
            else
            {
                await ChannelSettingsStore.UpsertAsync(s, user.ProjectId, user.Id, channelId, blob, now, ct);
            }
        }
    }
}
