namespace Notiflows.Storage.Jobs;

/// <summary>
/// A unit of due work: <c>run</c> (start or fan out a run), <c>notification</c> (advance one notification) or <c>delivery</c>
/// (one provider attempt of a delivery, §12.9).
/// </summary>
public sealed class JobRow
{
    public Guid Id { get; init; }
    public string Kind { get; init; } = "";
    public Guid TargetId { get; init; }
    public DateTimeOffset DueAt { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public string? LockedBy { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}

public static class JobKinds
{
    public const string Run = "run";
    public const string Notification = "notification";
    public const string Delivery = "delivery";
}

/// <summary>Which jobs a claim takes: all of them (the test drain), the engine's (runs and notifications), or provider sends.</summary>
public enum JobFilter
{
    All,
    Engine,
    Deliveries,
}
