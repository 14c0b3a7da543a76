namespace Notiflows.Storage.Notiflows;

public sealed class NotiflowRow
{
    public Guid Id { get; init; }
    public Guid ProjectId { get; init; }
    public string Handle { get; init; } = "";
    public string Name { get; set; } = "";
    public string? Description { get; set; }
    public bool Active { get; set; } = true;
    public bool IncludeInPreferences { get; set; } = true;
    public Guid CurrentVersionId { get; set; }
    public Guid? PublishedVersionId { get; set; }
    public DateTimeOffset? ArchivedAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class VersionRow
{
    public Guid Id { get; init; }
    public Guid NotiflowId { get; init; }
    public int VersionNumber { get; init; }
    public string Status { get; set; } = "draft";
    public string Sha { get; init; } = "";
    /// <summary>The normalised steps array in its response form (JSON).</summary>
    public string Steps { get; init; } = "[]";
    public DateTimeOffset? PublishedAt { get; set; }
    public Guid? CreatedBy { get; init; }
    public Guid? PublishedBy { get; set; }
    public DateTimeOffset InsertedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}
