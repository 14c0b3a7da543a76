using Notiflows.Core.Common;
using Notiflows.Core.Users;
using Notiflows.Storage.Database;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Users;

/// <summary>A preferences update whose notiflow keys were all found: each key (id or handle) with its notiflow id.</summary>
public sealed record ResolvedPreferences(PreferenceUpdate Update, IReadOnlyDictionary<string, Guid> NotiflowIds);

/// <summary>
/// Writes a partial preferences update (§5.8) for <c>PUT …/preferences</c> and the <c>preferences</c> of a user upsert
/// (§6.1): resolve its notiflow keys first (reporting every bad one), then apply it to the stored set in the caller's
/// transaction.
/// </summary>
public static class PreferenceWriter
{
    /// <summary>
    /// Resolves the notiflow keys of <paramref name="update"/>, adding an error for each unknown key (<c>invalid</c>) and
    /// for each notiflow left out of preferences (<c>not_allowed</c>). Null when there is nothing to write or errors were
    /// found (in <paramref name="errors"/>, before or now).
    /// <para>
    /// Any other notiflow of the project is accepted, archived or never published included: as in the hosted product, a
    /// user may set preferences for a notiflow that exists and is not critical. Such settings are stored but not listed
    /// (§5.8 lists only notiflows with a published version, not archived) until the notiflow is published or unarchived,
    /// when they show and apply.
    /// </para>
    /// </summary>
    public static async Task<ResolvedPreferences?> ResolveAsync(
        DbSession s, Guid projectId, PreferenceUpdate? update, List<FieldError> errors, CancellationToken ct)
    {
        if (update is null)
        {
            return null;
        }
        var keys = update.Notiflows.Select(n => n.Key).Distinct(StringComparer.Ordinal).ToList();
        var found = keys.Count == 0
            ? []
            : await PreferenceStore.FindAsync(s, projectId, keys.Where(IsId).Select(Guid.Parse).ToList(), keys.Where(k => !IsId(k)).ToList(), ct);
        var resolved = new Dictionary<string, Guid>(StringComparer.Ordinal);
        foreach (var n in update.Notiflows.DistinctBy(n => n.Key, StringComparer.Ordinal))
        {
            var notiflow = found.FirstOrDefault(f => IsId(n.Key) ? Guid.Parse(n.Key) == f.Id : f.Handle == n.Key);
            if (notiflow is null)
            {
                errors.Add(new FieldError(n.Path, "is not a notiflow of this project", Reasons.Invalid));
            }
            else if (!notiflow.IncludeInPreferences)
            {
                errors.Add(new FieldError(n.Path, "is not included in preferences", Reasons.NotAllowed));
            }
            else
            {
                resolved[n.Key] = notiflow.Id;
            }
        }
        return errors.Count == 0 ? new ResolvedPreferences(update, resolved) : null;
    }

    /// <summary>
    /// The same, in a read of its own: the user upsert checks everything before its transaction, so that a bad key
    /// rejects the request with nothing written, and applies the update in it (<see cref="SaveAsync"/>). Checking first is
    /// safe: notiflows are never deleted and their ids and handles never change, so only <c>include_in_preferences</c>
    /// may change in between, and a setting stored for a notiflow that just became critical is ignored (§12.4) and not listed.
    /// </summary>
    public static Task<ResolvedPreferences?> ResolveAsync(Db db, Guid projectId, PreferenceUpdate? update, List<FieldError> errors, CancellationToken ct) =>
        update is null ? Task.FromResult<ResolvedPreferences?>(null) : db.ReadAsync(s => ResolveAsync(s, projectId, update, errors, ct), ct);

    /// <summary>Applies the update to the user's stored preferences (row-locked) and returns the result; nothing when null.</summary>
    public static async Task<PreferenceSet?> SaveAsync(
        DbSession s, Guid projectId, Guid userId, ResolvedPreferences? preferences, DateTimeOffset now, CancellationToken ct)
    {
        if (preferences is null)
        {
            return null;
        }
        var stored = await PreferenceStore.LockAsync(s, projectId, userId, PreferenceSet.Empty.Serialize(), now, ct);
        var set = PreferenceSet.Parse(stored);
        set.Apply(preferences.Update, preferences.NotiflowIds);
        var json = set.Serialize();
        if (json != stored)
        {
            await PreferenceStore.UpdateAsync(s, userId, json, now, ct);
        }
        return set;
    }

    private static bool IsId(string key) => Guid.TryParseExact(key, "D", out _);
}
