using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Notiflows.Core.Common;
using Notiflows.Server.Api.Admin.Lists;
using Notiflows.Server.Api.Admin.Notifications;
using Notiflows.Server.Auth;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Infrastructure.Paging;
using Notiflows.Server.Startup;
using Notiflows.Server.Workers;
using Notiflows.Storage.Database;
using Notiflows.Storage.Runs;

namespace Notiflows.Server.Api.Admin.Runs;

public sealed record CancelResult(int CancelledCount);

public sealed record CancelByKeyBody(string CancellationKey, IReadOnlyList<string>? Recipients = null);

/// <summary>Reading and steering runs (§6.6).</summary>
public static class AdminRunEndpoints
{
    public static void MapAdminRunEndpoints(this RouteGroupBuilder root, RouteNames names)
    {
        var runs = root.MapGroup("/runs").WithTags("Admin: runs");
        runs.MapGet("", ListAll).WithName(names.Of("ListRuns")).WithSummary("List runs, newest first (cursor paging; filters).");
        runs.MapGet("/{id}", Get).WithName(names.Of("GetRun")).WithSummary("A run with its notification counts and fan-out progress.");
        runs.MapGet("/{id}/notifications", Notifications).WithName(names.Of("ListRunNotifications"))
            .WithSummary("The run's notifications, newest first (cursor paging).");
        runs.MapPost("/{id}/cancel", Cancel).WithName(names.Of("CancelRun")).WithSummary("Cancel a run.");
        runs.MapPost("/cancel", CancelByKey).WithName(names.Of("CancelRunsByKey")).WithSummary("Cancel notifications by cancellation key.")
            .WithRequestBody<CancelByKeyBody>();
    }

    public static readonly IReadOnlyList<string> Statuses = ["pending", "running", "completed", "failed", "cancelled"];

    /// <summary><c>GET /runs</c> (§6.6): filters notiflow (handle or id), status, topic, cancellation_key, created_after/before.</summary>
    public static readonly ListSpec<RunFilter, RunRow, RunResponse> List = new(
        (q, projectId) =>
        {
            var (notiflow, status, topic, key) = (q.String("notiflow"), q.OneOf("status", Statuses), q.String("topic"), q.String("cancellation_key"));
            var (after, before) = (q.Timestamp("created_after"), q.Timestamp("created_before"));
            return async (s, ct) => new RunFilter(projectId, await ListParams.NotiflowIdAsync(s, projectId, notiflow, ct), status, topic, key, after, before);
        },
        AdminListQueries.Runs, r => r.Id, RunViews.ViewsAsync);

    private static Task<Results<Ok<CursorList<RunResponse>>, ApiError>> ListAll(HttpContext http, Db db, CancellationToken ct) =>
        AdminList.ServeAsync(http, db, "runs", List, null, ct);

    private static async Task<Results<Ok<RunResponse>, ApiError>> Get(string id, HttpContext http, Db db, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var runId))
        {
            return ApiError.InvalidUuid("id");
        }
        var projectId = http.Project().Id;
        var view = await db.ReadAsync(async s =>
            await RunStore.GetRunInProjectAsync(s, projectId, runId, ct) is { } run ? await RunViews.ViewAsync(s, run, ct) : null, ct);
        return view is null ? ApiError.NotFound("run", id) : TypedResults.Ok(view);
    }

    /// <summary>The run's notifications: the query of <c>GET /notifications</c>, within the run (404 <c>run</c>).</summary>
    private static async Task<Results<Ok<CursorList<NotificationSummary>>, ApiError>> Notifications(string id, HttpContext http, Db db, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var runId))
        {
            return ApiError.InvalidUuid("id");
        }
        var owner = new ListOwner<NotificationFilter>("run", id, async (s, projectId, ct) => (await RunStore.GetRunInProjectAsync(s, projectId, runId, ct))?.Id,
            (f, run) => f with { RunId = ListParams.Within(f.RunId, run) });
        return await AdminList.ServeAsync(http, db, "run_notifications", NotificationEndpoints.List, owner, ct);
    }

    private static async Task<Results<Ok<RunResponse>, ApiError>> Cancel(string id, HttpContext http, Db db, TimeProvider time, RunFinalizer finalizer, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var runId))
        {
            return ApiError.InvalidUuid("id");
        }
        var projectId = http.Project().Id;
        return await db.WriteAsync<Results<Ok<RunResponse>, ApiError>>(async s =>
        {
            var run = await RunStore.GetRunInProjectAsync(s, projectId, runId, ct);
            if (run is null)
            {
                return ApiError.NotFound("run", id);
            }
            if (run.Status is "completed" or "failed" or "cancelled")
            {
                return ApiError.Conflict($"Run is already {run.Status}", ("current_status", run.Status),
                    ("allowed_statuses", new[] { "pending", "running" }));
            }
            var now = time.Now();
            await RunCanceller.StopAsync(s, run, now, ct);
            await RunCanceller.CancelNotificationsAsync(s, "n.run_id = @runId", new { runId }, "cancelled_run", now, ct);
            run.Status = "cancelled";
            run.CompletedAt = now;
            await RunStore.UpdateRunAsync(s, run, ct);
            return TypedResults.Ok(await RunViews.ViewAsync(s, run, ct));
        }, ct);
    }

    private static async Task<Results<Ok<CancelResult>, ApiError>> CancelByKey(
        HttpContext http, Db db, TimeProvider time, ServerSettings settings, RunFinalizer finalizer, IdGenerator ids, CancellationToken ct)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(http.Request, settings.BodyLimit, ct);
        if (bodyError is not null)
        {
            return bodyError;
        }
        var errors = new List<FieldError>();
        var r = new ObjectReader(body, "", errors);
        var key = r.String("cancellation_key", 1, 255);
        if (key.Value is null && errors.Count == 0)
        {
            r.Add("cancellation_key", "can't be blank", Reasons.Required);
        }
        var recipients = ReadRecipients(r);
        if (errors.Count > 0)
        {
            return ApiError.Validation(errors);
        }
        var projectId = http.Project().Id;
        var count = await db.WriteAsync(async s =>
        {
            var now = time.Now();
            var runs = await s.QueryAsync<RunRow>($"""
                SELECT {RunStore.RunColumns} FROM runs WHERE project_id = @projectId AND cancellation_key = @key
                  AND status IN ('pending', 'running'){s.ForUpdate}
                """, new { projectId, key = key.Value }, ct);
            if (recipients is null)
            {
                foreach (var run in runs)
                {
                    await RunCanceller.StopAsync(s, run, now, ct);
                }
            }
            var where = "r.project_id = @projectId AND r.cancellation_key = @key"
                + (recipients is null ? "" : $" AND n.recipient_id IN (SELECT id FROM users WHERE project_id = @projectId AND {s.In("external_id", "@recipients")})");
            var cancelled = await RunCanceller.CancelNotificationsAsync(s, where, new { projectId, key = key.Value, recipients }, "cancelled_key", now, ct);
            if (recipients is not null)
            {
                cancelled += await RunCanceller.CancelAheadOfFanOutAsync(s, runs, recipients, "cancelled_key", ids, now, ct);
            }
            foreach (var run in runs)
            {
                await finalizer.CheckAsync(s, run.Id, now, ct);
            }
            return cancelled;
        }, ct);
        return TypedResults.Ok(new CancelResult(count));
    }

    private static List<string>? ReadRecipients(ObjectReader r)
    {
        var raw = r.Raw("recipients");
        if (!raw.IsPresent || raw.Value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (raw.Value.ValueKind != JsonValueKind.Array || raw.Value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            r.Add("recipients", "must be an array of external ids", Reasons.Invalid);
            return null;
        }
        var count = raw.Value.GetArrayLength();
        if (count is 0 or > 1000)
        {
            r.Add("recipients", "must have 1-1000 external ids", count == 0 ? Reasons.TooShort : Reasons.TooMany);
            return null;
        }
        return raw.Value.EnumerateArray().Select(e => e.GetString()!).ToList();
    }
}
