using Notiflows.Core.Common;
using Notiflows.Core.Definitions;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Storage.Channels;
using Notiflows.Storage.Database;
using Notiflows.Storage.Notiflows;

namespace Notiflows.Server.Api.Management.Notiflows;

/// <summary>Publish, rollback, activate/deactivate and archive/unarchive (§8.4, §8.4.2, §13).</summary>
public sealed class NotiflowLifecycle(Db db, TimeProvider time)
{
    public Task<(NotiflowResponse? Notiflow, IReadOnlyList<FieldError> Warnings, ApiError? Error)> PublishAsync(
        Guid projectId, string handleOrId, Guid tokenId, CancellationToken ct) =>
        db.WriteAsync<(NotiflowResponse?, IReadOnlyList<FieldError>, ApiError?)>(async s =>
        {
            var n = await NotiflowLookup.FindAsync(s, projectId, handleOrId, ct);
            if (n is null)
            {
                return (null, [], NotiflowLookup.NotFound(handleOrId));
            }
            if (n.ArchivedAt is not null)
            {
                return (null, [], NotiflowLookup.Archived());
            }
            if (!NotiflowViews.HasDraft(n))
            {
                return (await NotiflowLookup.ViewAsync(s, n, ct), [], null);
            }
            var draft = (await NotiflowStore.GetVersionAsync(s, n.Id, n.CurrentVersionId, ct))!;
            var channels = NotiflowViews.ChannelInfos(await ChannelStore.AllAsync(s, projectId, ct));
            var report = PublishValidator.Validate(NotiflowViews.Steps(draft), channels);
            if (!report.Valid)
            {
                return (null, [], ApiError.Validation(report.Errors));
            }
            var now = time.Now();
            if (n.PublishedVersionId is { } previousId)
            {
                var previous = (await NotiflowStore.GetVersionAsync(s, n.Id, previousId, ct))!;
                previous.Status = "archived";
                previous.UpdatedAt = now;
                await NotiflowStore.UpdateVersionStatusAsync(s, previous, ct);
            }
            draft.Status = "published";
            draft.PublishedAt = now;
            draft.PublishedBy = tokenId;
            draft.UpdatedAt = now;
            await NotiflowStore.UpdateVersionStatusAsync(s, draft, ct);
            n.PublishedVersionId = draft.Id;
            n.UpdatedAt = now;
            await NotiflowStore.UpdateAsync(s, n, ct);
            return (await NotiflowLookup.ViewAsync(s, n, ct), report.Warnings, null);
        }, ct);

    public Task<(NotiflowResponse?, ApiError?)> RollbackAsync(Guid projectId, string handleOrId, CancellationToken ct) =>
        ChangeAsync(projectId, handleOrId, guardArchived: true, async (s, n, now) =>
        {
            if (!NotiflowViews.HasDraft(n))
            {
                return null;
            }
            if (n.PublishedVersionId is not { } publishedId)
            {
                return ApiError.Conflict("Notiflow has never been published; there is nothing to roll back to",
                    ("current_status", "unpublished"), ("allowed_statuses", new[] { "published" }));
            }
            var draft = (await NotiflowStore.GetVersionAsync(s, n.Id, n.CurrentVersionId, ct))!;
            draft.Status = "archived";
            draft.UpdatedAt = now;
            await NotiflowStore.UpdateVersionStatusAsync(s, draft, ct);
            n.CurrentVersionId = publishedId;
            return null;
        }, ct);

    public Task<(NotiflowResponse?, ApiError?)> SetActiveAsync(Guid projectId, string handleOrId, bool active, CancellationToken ct) =>
        ChangeAsync(projectId, handleOrId, guardArchived: true, (_, n, _) =>
        {
            n.Active = active;
            return Task.FromResult<ApiError?>(null);
        }, ct);

    public Task<(NotiflowResponse?, ApiError?)> SetArchivedAsync(Guid projectId, string handleOrId, bool archived, CancellationToken ct) =>
        ChangeAsync(projectId, handleOrId, guardArchived: false, (_, n, now) =>
        {
            n.ArchivedAt = archived ? n.ArchivedAt ?? now : null;
            return Task.FromResult<ApiError?>(null);
        }, ct);

    /// <summary>Loads the notiflow for update, applies <paramref name="change"/>, and saves it when anything changed.</summary>
    private Task<(NotiflowResponse?, ApiError?)> ChangeAsync(
        Guid projectId, string handleOrId, bool guardArchived, Func<DbSession, NotiflowRow, DateTimeOffset, Task<ApiError?>> change, CancellationToken ct) =>
        db.WriteAsync<(NotiflowResponse?, ApiError?)>(async s =>
        {
            var n = await NotiflowLookup.FindAsync(s, projectId, handleOrId, ct);
            if (n is null)
            {
                return (null, NotiflowLookup.NotFound(handleOrId));
            }
            if (guardArchived && n.ArchivedAt is not null)
            {
                return (null, NotiflowLookup.Archived());
            }
            var before = (n.Active, n.ArchivedAt, n.CurrentVersionId);
            var now = time.Now();
            if (await change(s, n, now) is { } error)
            {
                return (null, error);
            }
            if (before != (n.Active, n.ArchivedAt, n.CurrentVersionId))
            {
                n.UpdatedAt = now;
                await NotiflowStore.UpdateAsync(s, n, ct);
            }
            return (await NotiflowLookup.ViewAsync(s, n, ct), null);
        }, ct);
}
