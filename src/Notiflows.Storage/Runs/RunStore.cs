using Notiflows.Storage.Database;

namespace Notiflows.Storage.Runs;

/// <summary>SQL for runs, notifications, step executions and deliveries.</summary>
public static class RunStore
{
    public const string RunColumns = """
        id, project_id, notiflow_id, version_id, draft, status, source, triggered_by, topic, recipient_ids, recipient_count, actor_id, data,
        cancellation_key, fan_out_status, fan_out_total, fan_out_created, fan_out_cursor, cancel_requested_at, started_at, completed_at,
        created_at, updated_at
        """;

    public const string NotificationColumns = """
        id, project_id, run_id, notiflow_id, version_id, recipient_id, actor_id, topic, status, status_reason, error, next_step, digest_id,
        digested_into_notification_id, processed_at, created_at, updated_at
        """;

    public const string DeliveryColumns = """
        id, project_id, notification_id, notiflow_id, run_id, step_handle, channel_id, channel_type, provider, recipient_id, actor_id, status,
        skip_reason, data, recipient_address, provider_message_id, topic, error, attempts, next_attempt_at, sent_at, delivered_at, seen_at,
        read_at, clicked_at, archived_at, created_at, updated_at
        """;

    private const string StepColumns =
        "notification_id, step_handle, seq, step_type, parent_step_handle, branch_handle, outcome, reason, started_at, completed_at";

    public static Task<int> InsertRunAsync(DbSession s, RunRow r, CancellationToken ct) =>
        s.ExecuteAsync($"INSERT INTO runs ({RunColumns}) VALUES ({Params(RunColumns)})", r, ct);

    public static Task<int> UpdateRunAsync(DbSession s, RunRow r, CancellationToken ct) =>
        s.ExecuteAsync("""
            UPDATE runs SET status = @Status, recipient_count = @RecipientCount, fan_out_status = @FanOutStatus, fan_out_total = @FanOutTotal,
                   fan_out_created = @FanOutCreated, fan_out_cursor = @FanOutCursor, cancel_requested_at = @CancelRequestedAt,
                   started_at = @StartedAt, completed_at = @CompletedAt, updated_at = @UpdatedAt
            WHERE id = @Id
            """, r, ct);

    public static Task<RunRow?> GetRunAsync(DbSession s, Guid id, CancellationToken ct) =>
        s.QueryOneAsync<RunRow>($"SELECT {RunColumns} FROM runs WHERE id = @id{s.ForUpdate}", new { id }, ct);

    public static Task<RunRow?> GetRunInProjectAsync(DbSession s, Guid projectId, Guid id, CancellationToken ct) =>
        s.QueryOneAsync<RunRow>($"SELECT {RunColumns} FROM runs WHERE id = @id AND project_id = @projectId{s.ForUpdate}", new { id, projectId }, ct);

    public static Task<IReadOnlyList<RunRow>> GetRunsAsync(DbSession s, IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        s.QueryAsync<RunRow>($"SELECT {RunColumns} FROM runs WHERE {s.In("id", "@ids")}", new { ids = s.Ids(ids) }, ct);

    public static Task<int> InsertNotificationsAsync(DbSession s, IEnumerable<NotificationRow> rows, CancellationToken ct) =>
        s.ExecuteAsync(
            $"INSERT INTO notifications ({NotificationColumns}) VALUES ({Params(NotificationColumns)}) ON CONFLICT (run_id, recipient_id) DO NOTHING",
            rows, ct);

    /// <summary>The notifications, locked on PostgreSQL so a concurrent cancel waits for the step boundary (§12.8).</summary>
    public static Task<IReadOnlyList<NotificationRow>> GetNotificationsForUpdateAsync(DbSession s, IReadOnlyCollection<Guid> ids, CancellationToken ct) =>
        s.QueryAsync<NotificationRow>(
            $"SELECT {NotificationColumns} FROM notifications WHERE {s.In("id", "@ids")}{s.ForUpdate}", new { ids = s.Ids(ids) }, ct);

    public static Task<NotificationRow?> GetNotificationAsync(DbSession s, Guid projectId, Guid id, CancellationToken ct) =>
        s.QueryOneAsync<NotificationRow>(
            $"SELECT {NotificationColumns} FROM notifications WHERE id = @id AND project_id = @projectId", new { id, projectId }, ct);

    public static Task<IReadOnlyList<StepExecutionRow>> GetStepsAsync(DbSession s, Guid notificationId, CancellationToken ct) =>
        s.QueryAsync<StepExecutionRow>(
            $"SELECT {StepColumns} FROM step_executions WHERE notification_id = @notificationId ORDER BY seq", new { notificationId }, ct);

    public static Task<IReadOnlyList<DeliveryRow>> GetDeliveriesAsync(DbSession s, Guid notificationId, CancellationToken ct) =>
        s.QueryAsync<DeliveryRow>(
            $"SELECT {DeliveryColumns} FROM deliveries WHERE notification_id = @notificationId ORDER BY id", new { notificationId }, ct);

    /// <summary>Counts of the run's notifications by status.</summary>
    public static Task<IReadOnlyList<StatusCount>> CountByStatusAsync(DbSession s, Guid runId, CancellationToken ct) =>
        s.QueryAsync<StatusCount>("SELECT status, COUNT(*) AS count FROM notifications WHERE run_id = @runId GROUP BY status", new { runId }, ct);

    public static async Task<bool> HasOpenNotificationsAsync(DbSession s, Guid runId, CancellationToken ct) =>
        await s.ScalarAsync<long>(
            "SELECT COUNT(*) FROM (SELECT 1 FROM notifications WHERE run_id = @runId AND status IN ('pending', 'processing') LIMIT 1) x",
            new { runId }, ct) > 0;

    /// <summary>"@A, @B" for the columns "a, b": the parameter list of an INSERT over a row object.</summary>
    public static string Params(string columns) => string.Join(", ", columns.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Select(c => "@" + string.Concat(c.Split('_').Select(p => char.ToUpperInvariant(p[0]) + p[1..]))));
}

public sealed class StatusCount
{
    public string Status { get; init; } = "";
    public long Count { get; init; }
}
