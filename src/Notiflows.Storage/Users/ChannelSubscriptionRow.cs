namespace Notiflows.Storage.Users;

/// <summary>A user's web-push subscription on one channel (§5.7).</summary>
public sealed class ChannelSubscriptionRow
{
    public Guid Id { get; init; }
    public Guid ProjectId { get; init; }
    public Guid UserId { get; init; }
    public Guid ChannelId { get; init; }
    public string Identifier { get; init; } = "";
    /// <summary>JSON object.</summary>
    public string Settings { get; set; } = "{}";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}
