using Notiflows.Storage.Database;
using Notiflows.Storage.Runs;

namespace Notiflows.Server.Workers;

/// <summary>The column lists of the engine's bulk writes, and the row shapes that go with them.</summary>
public static class EffectRows
{
    public static readonly BulkColumn[] StepExecution =
    [
        new("notification_id", "uuid"), new("step_handle", "text"), new("seq", "integer"), new("step_type", "text"),
        new("parent_step_handle", "text"), new("branch_handle", "text"), new("outcome", "text"), new("reason", "text"),
        new("started_at", "bigint"), new("completed_at", "bigint"),
    ];

    public const string StepUpsert = """
        ON CONFLICT (notification_id, step_handle) DO UPDATE SET outcome = excluded.outcome, reason = excluded.reason,
            branch_handle = excluded.branch_handle, completed_at = excluded.completed_at
        """;

    public static readonly BulkColumn[] Delivery =
    [
        new("id", "uuid"), new("project_id", "uuid"), new("notification_id", "uuid"), new("notiflow_id", "uuid"), new("run_id", "uuid"),
        new("step_handle", "text"), new("channel_id", "uuid"), new("channel_type", "text"), new("provider", "text"),
        new("recipient_id", "uuid"), new("actor_id", "uuid"), new("status", "text"), new("skip_reason", "text"), new("data", "text"),
        new("recipient_address", "text"), new("provider_message_id", "text"), new("topic", "text"), new("error", "text"),
        new("attempts", "text"), new("next_attempt_at", "bigint"), new("sent_at", "bigint"), new("delivered_at", "bigint"),
        new("seen_at", "bigint"), new("read_at", "bigint"), new("clicked_at", "bigint"), new("archived_at", "bigint"),
        new("created_at", "bigint"), new("updated_at", "bigint"),
    ];

    public static object?[] Row(DeliveryRow d) =>
    [
        d.Id, d.ProjectId, d.NotificationId, d.NotiflowId, d.RunId, d.StepHandle, d.ChannelId, d.ChannelType, d.Provider, d.RecipientId,
        d.ActorId, d.Status, d.SkipReason, d.Data, d.RecipientAddress, d.ProviderMessageId, d.Topic, d.Error, d.Attempts, d.NextAttemptAt,
        d.SentAt, d.DeliveredAt, d.SeenAt, d.ReadAt, d.ClickedAt, d.ArchivedAt, d.CreatedAt, d.UpdatedAt,
    ];

    public static readonly BulkColumn[] Notification =
    [
        new("id", "uuid"), new("project_id", "uuid"), new("run_id", "uuid"), new("notiflow_id", "uuid"), new("version_id", "uuid"),
        new("recipient_id", "uuid"), new("actor_id", "uuid"), new("topic", "text"), new("status", "text"), new("status_reason", "text"),
        new("error", "text"), new("next_step", "text"), new("digest_id", "uuid"), new("digested_into_notification_id", "uuid"),
        new("processed_at", "bigint"), new("created_at", "bigint"), new("updated_at", "bigint"),
    ];

    public static object?[] Row(NotificationRow n) =>
    [
        n.Id, n.ProjectId, n.RunId, n.NotiflowId, n.VersionId, n.RecipientId, n.ActorId, n.Topic, n.Status, n.StatusReason, n.Error,
        n.NextStep, n.DigestId, n.DigestedIntoNotificationId, n.ProcessedAt, n.CreatedAt, n.UpdatedAt,
    ];

    /// <summary>The state columns a step changes (the first column is the key).</summary>
    public static readonly BulkColumn[] NotificationState =
    [
        new("id", "uuid"), new("status", "text"), new("status_reason", "text"), new("error", "text"), new("next_step", "text"),
        new("digest_id", "uuid"), new("digested_into_notification_id", "uuid"), new("processed_at", "bigint"), new("updated_at", "bigint"),
    ];

    public static object?[] StateRow(NotificationRow n) =>
        [n.Id, n.Status, n.StatusReason, n.Error, n.NextStep, n.DigestId, n.DigestedIntoNotificationId, n.ProcessedAt, n.UpdatedAt];

    public static readonly BulkColumn[] Job =
    [
        new("id", "uuid"), new("kind", "text"), new("target_id", "uuid"), new("due_at", "bigint"), new("locked_until", "bigint"),
        new("locked_by", "text"), new("attempts", "integer"), new("last_error", "text"), new("created_at", "bigint"),
    ];

    public static readonly BulkColumn[] JobDue =
        [new("id", "uuid"), new("due_at", "bigint"), new("locked_until", "bigint"), new("locked_by", "text"), new("attempts", "integer")];
}
