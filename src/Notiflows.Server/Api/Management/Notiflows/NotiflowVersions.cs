using Notiflows.Core.Definitions;
using Notiflows.Server.Infrastructure;
using Notiflows.Storage.Database;
using Notiflows.Storage.Notiflows;

namespace Notiflows.Server.Api.Management.Notiflows;

/// <summary>
/// The one rule for content changes (§8.4.1 step 6, §8.6, §13.1): the new steps' <c>sha</c> decides whether nothing
/// happens, the open draft is dropped (content equals the published version), or a new draft version is created.
/// Versions are immutable; only statuses move.
/// </summary>
public sealed class NotiflowVersions(IdGenerator ids)
{
    /// <summary>Applies <paramref name="steps"/> to <paramref name="n"/>; returns true when the notiflow row changed.</summary>
    public async Task<bool> ApplyAsync(DbSession s, NotiflowRow n, IReadOnlyList<Step> steps, Guid? createdBy, DateTimeOffset now, CancellationToken ct)
    {
        var sha = VersionSha.Compute(steps);
        var current = (await NotiflowStore.GetVersionAsync(s, n.Id, n.CurrentVersionId, ct))!;
        if (string.Equals(current.Sha, sha, StringComparison.Ordinal))
        {
            return false;
        }
        var hasDraft = NotiflowViews.HasDraft(n);
        if (hasDraft)
        {
            current.Status = "archived";
            current.UpdatedAt = now;
            await NotiflowStore.UpdateVersionStatusAsync(s, current, ct);
        }
        if (n.PublishedVersionId is { } publishedId
            && string.Equals((await NotiflowStore.GetVersionAsync(s, n.Id, publishedId, ct))!.Sha, sha, StringComparison.Ordinal))
        {
            n.CurrentVersionId = publishedId;
        }
        else
        {
            var number = await NotiflowStore.MaxVersionNumberAsync(s, n.Id, ct) + 1;
            n.CurrentVersionId = await InsertDraftAsync(s, n.Id, number, steps, sha, createdBy, now, ct);
        }
        n.UpdatedAt = now;
        return true;
    }

    public async Task<Guid> InsertDraftAsync(
        DbSession s, Guid notiflowId, int number, IReadOnlyList<Step> steps, string sha, Guid? createdBy, DateTimeOffset now, CancellationToken ct,
        Guid? id = null)
    {
        var version = new VersionRow
        {
            Id = id ?? ids.New(), NotiflowId = notiflowId, VersionNumber = number, Status = "draft", Sha = sha,
            Steps = NotiflowViews.Serialize(steps), CreatedBy = createdBy, InsertedAt = now, UpdatedAt = now,
        };
        await NotiflowStore.InsertVersionAsync(s, version, ct);
        return version.Id;
    }
}
