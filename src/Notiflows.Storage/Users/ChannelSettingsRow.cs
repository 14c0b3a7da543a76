namespace Notiflows.Storage.Users;

/// <summary>A user's settings for one channel (§5.6).</summary>
public sealed class ChannelSettingsRow
{
    public Guid UserId { get; init; }
    public Guid ChannelId { get; init; }
    public Guid ProjectId { get; init; }
    /// <summary>JSON object.</summary>
    public string Settings { get; set; } = "{}";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}
