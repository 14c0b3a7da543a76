using System.Text.Json;
using Notiflows.Core.Common;
using Notiflows.Core.Definitions;
using Notiflows.Core.Runs;
using Notiflows.Server.Api.Management.Notiflows;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Idempotency;
using Notiflows.Server.Users;
using Notiflows.Server.Workers;
using Notiflows.Storage.Channels;
using Notiflows.Storage.Database;
using Notiflows.Storage.Jobs;
using Notiflows.Storage.Notiflows;
using Notiflows.Storage.Runs;

namespace Notiflows.Server.Api.Runs;

/// <summary>Who asked for a run (§5.13 <c>source</c>, <c>triggered_by</c>).</summary>
public sealed record RunSource(string Source, bool Management, TriggeredBy? TriggeredBy);

public sealed record TriggeredBy(string Type, Guid Id, string Name);

/// <summary>
/// Accepts a run (§6.5): checks in the spec's order, then one transaction holding the upserted recipients and actor, the
/// run pinned to its version, its start job and (with an Idempotency-Key) the stored response — 202 only after commit.
/// </summary>
public sealed class RunAcceptor(GroupCommit commits, IdGenerator ids, TimeProvider time, UserWriter users, JobSignal signal)
{
    public async Task<(Guid RunId, ApiError? Error)> AcceptAsync(
        Guid projectId, string handleOrId, JsonElement body, RunSource source, IdempotencyReservation? reservation,
        Func<Guid, (int Status, object Body, string? Location)> response, CancellationToken ct)
    {
        var errors = new List<FieldError>();
        var request = RunRequestParser.Parse(body, source.Management, errors);
        var result = await commits.RunAsync<(Guid, ApiError?)>(async s =>
        {
            // Read, not locked: concurrent runs of one notiflow must not queue behind each other; a run pins the version it reads.
            var notiflow = await NotiflowLookup.FindAsync(s, projectId, handleOrId, ct, lockRow: false);
            if (notiflow is null)
            {
                return (Guid.Empty, NotiflowLookup.NotFound(handleOrId));
            }
            if (request is null)
            {
                return (Guid.Empty, ApiError.Validation(errors));
            }
            if (await CheckStateAsync(s, notiflow, request.Draft, ct) is { } refused)
            {
                return (Guid.Empty, refused);
            }
            var now = time.Now();
            var upserted = await users.UpsertManyAsync(s, projectId, request.Users, now, ct);
            var run = new RunRow
            {
                Id = ids.New(), ProjectId = projectId, NotiflowId = notiflow.Id,
                VersionId = request.Draft ? notiflow.CurrentVersionId : notiflow.PublishedVersionId!.Value, Draft = request.Draft,
                Status = "pending", Source = source.Source,
                TriggeredBy = source.TriggeredBy is null ? null : JsonSerializer.Serialize(source.TriggeredBy, JsonDefaults.Options),
                Topic = request.Topic, ActorId = request.Actor is { } a ? upserted[a].Id : null,
                RecipientIds = request.Recipients is null ? null : JsonSerializer.Serialize(request.Recipients.Select(r => upserted[r].Id)),
                RecipientCount = request.Recipients?.Count, Data = request.Data.ToJsonString(), CancellationKey = request.CancellationKey,
                FanOutStatus = "pending", CreatedAt = now, UpdatedAt = now,
            };
            await RunStore.InsertRunAsync(s, run, ct);
            await JobStore.EnqueueAsync(s, new JobRow { Id = ids.New(), Kind = JobKinds.Run, TargetId = run.Id, DueAt = now, CreatedAt = now }, ct);
            if (reservation is not null)
            {
                var (status, responseBody, location) = response(run.Id);
                await reservation.CompleteAsync(s, status, responseBody, location, ct);
            }
            if (s.Kind == DbKind.Postgres)
            {
                await s.ExecuteAsync($"SELECT pg_notify('{JobWorkers.Channel}', '')", null, ct);
            }
            return (run.Id, null);
        }, ct);
        if (result.Item2 is null)
        {
            signal.NotifyEngine();
        }
        return result;
    }

    /// <summary>§6.5 step 6 and 7: archived, inactive, unpublished / no draft, and for draft runs a valid draft.</summary>
    private static async Task<ApiError?> CheckStateAsync(DbSession s, NotiflowRow n, bool draft, CancellationToken ct)
    {
        if (n.ArchivedAt is not null)
        {
            return NotiflowLookup.Archived();
        }
        if (!n.Active)
        {
            return ApiError.Conflict("Notiflow is inactive", ("current_status", "inactive"), ("allowed_statuses", new[] { "active" }));
        }
        if (!draft)
        {
            return n.PublishedVersionId is null
                ? ApiError.Conflict("Notiflow has no published version", ("current_status", "unpublished"), ("allowed_statuses", new[] { "published" }))
                : null;
        }
        if (!NotiflowViews.HasDraft(n))
        {
            return ApiError.Conflict("Notiflow has no draft", ("current_status", "no_draft"), ("allowed_statuses", new[] { "draft" }));
        }
        var version = (await NotiflowStore.GetVersionAsync(s, n.Id, n.CurrentVersionId, ct))!;
        var report = PublishValidator.Validate(NotiflowViews.Steps(version), NotiflowViews.ChannelInfos(await ChannelStore.AllAsync(s, n.ProjectId, ct)));
        return report.Valid ? null : ApiError.Validation(report.Errors);
    }
}
