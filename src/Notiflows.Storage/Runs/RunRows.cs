namespace Notiflows.Storage.Runs;

public sealed class RunRow
{
    public Guid Id { get; init; }
    public Guid ProjectId { get; init; }
    public Guid NotiflowId { get; init; }
    public Guid VersionId { get; init; }
    public bool Draft { get; init; }
    public string Status { get; set; } = "pending";
    public string Source { get; init; } = "admin_api";
    /// <summary>JSON <c>{type, id, name}</c> for Management runs.</summary>
    public string? TriggeredBy { get; init; }
    public string? Topic { get; init; }
    /// <summary>JSON array of recipient user ids, in request order (recipient runs).</summary>
    public string? RecipientIds { get; init; }
    public int? RecipientCount { get; set; }
    public Guid? ActorId { get; init; }
    public string Data { get; init; } = "{}";
    public string? CancellationKey { get; init; }
    public string FanOutStatus { get; set; } = "pending";
    public int? FanOutTotal { get; set; }
    public int FanOutCreated { get; set; }
    public Guid? FanOutCursor { get; set; }
    public DateTimeOffset? CancelRequestedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class NotificationRow
{
    public Guid Id { get; init; }
    public Guid ProjectId { get; init; }
    public Guid RunId { get; init; }
    public Guid NotiflowId { get; init; }
    public Guid VersionId { get; init; }
    public Guid RecipientId { get; init; }
    public Guid? ActorId { get; init; }
    public string? Topic { get; init; }
    public string Status { get; set; } = "pending";
    public string? StatusReason { get; set; }
    public string? Error { get; set; }
    /// <summary>The handle of the step to execute next (the trigger when new); null once terminal.</summary>
    public string? NextStep { get; set; }
    public Guid? DigestId { get; set; }
    public Guid? DigestedIntoNotificationId { get; set; }
    public DateTimeOffset? ProcessedAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class StepExecutionRow
{
    public Guid NotificationId { get; init; }
    public string StepHandle { get; init; } = "";
    public int Seq { get; init; }
    public string StepType { get; init; } = "";
    public string? ParentStepHandle { get; init; }
    public string? BranchHandle { get; set; }
    public string Outcome { get; set; } = "";
    public string? Reason { get; set; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; set; }
}

public sealed class DeliveryRow
{
    public Guid Id { get; init; }
    public Guid ProjectId { get; init; }
    public Guid NotificationId { get; init; }
    public Guid NotiflowId { get; init; }
    public Guid RunId { get; init; }
    public string StepHandle { get; init; } = "";
    public Guid? ChannelId { get; set; }
    public string ChannelType { get; init; } = "";
    public string? Provider { get; set; }
    public Guid RecipientId { get; init; }
    public Guid? ActorId { get; init; }
    public string Status { get; set; } = "pending";
    public string? SkipReason { get; set; }
    public string Data { get; set; } = "{}";
    public string? RecipientAddress { get; set; }
    public string? ProviderMessageId { get; set; }
    public string? Topic { get; init; }
    public string? Error { get; set; }
    /// <summary>JSON array of attempts.</summary>
    public string Attempts { get; set; } = "[]";
    public DateTimeOffset? NextAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public DateTimeOffset? SeenAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }
    public DateTimeOffset? ClickedAt { get; set; }
    public DateTimeOffset? ArchivedAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}
