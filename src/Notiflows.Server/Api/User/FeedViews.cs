using System.Text.Json.Nodes;
using Notiflows.Storage.Feed;

namespace Notiflows.Server.Api.User;

/// <summary>A feed entry (§5.16) as the User API and realtime events show it.</summary>
public sealed record FeedEntryResponse(
    Guid Id, Guid ChannelId, Guid NotiflowId, Guid NotificationId, string? Topic, string Status, JsonObject Data, JsonObject? Actor,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? SeenAt, DateTimeOffset? ReadAt, DateTimeOffset? ClickedAt,
    DateTimeOffset? ArchivedAt)
{
    public static FeedEntryResponse From(FeedEntryRow e) => new(
        e.Id, e.ChannelId, e.NotiflowId, e.NotificationId, e.Topic, e.State.Status, JsonNode.Parse(e.Data) as JsonObject ?? [], ActorOf(e),
        e.CreatedAt, e.UpdatedAt, e.SeenAt, e.ReadAt, e.ClickedAt, e.ArchivedAt);

    /// <summary>The actor summary (§5.2), its tombstone when the actor was deleted, or null.</summary>
    private static JsonObject? ActorOf(FeedEntryRow e) => e.ActorId switch
    {
        null => null,
        { } id when e.ActorExternalId is null => new JsonObject { ["id"] = id.ToString(), ["deleted"] = true },
        { } id => new JsonObject
        {
            ["id"] = id.ToString(), ["external_id"] = e.ActorExternalId, ["first_name"] = e.ActorFirstName, ["last_name"] = e.ActorLastName,
            ["email"] = e.ActorEmail, ["avatar"] = e.ActorAvatar,
        },
    };
}

/// <summary>The feed's badge counts (§7.2, §15.1).</summary>
public sealed record FeedCounts(long TotalUnread, long TotalUnseen, long TotalCount)
{
    public static FeedCounts From(FeedCountsRow c) => new(c.TotalUnread, c.TotalUnseen, c.TotalCount);
}
