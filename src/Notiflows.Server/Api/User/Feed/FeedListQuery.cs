using Notiflows.Server.Api.Admin.Lists;
using Notiflows.Server.Infrastructure.Paging;
using Notiflows.Storage.Feed;

namespace Notiflows.Server.Api.User.Feed;

/// <summary>The filters of a feed list (§7.2); null means "not filtered".</summary>
public sealed record FeedFilter(string? Status, bool? Archived, string? Topic, DateTimeOffset? CreatedAfter, DateTimeOffset? CreatedBefore);

/// <summary>
/// The SQL of the feed list (§7.2). Every condition starts from (recipient_id, channel_id) of the in-app entries, which
/// <c>deliveries_feed</c> (0004_feed.sql) leads with and which ends in id: the page is an index range scan in id order,
/// and the count reads the same range.
/// </summary>
public static class FeedListQuery
{
    public static readonly string[] Statuses = ["unseen", "seen", "unread", "read", "archived"];

    /// <summary>Reads the filters in their fixed order (each becomes part of the cursor scope).</summary>
    public static FeedFilter Read(ListParams query) => new(
        query.OneOf("status", Statuses), query.Bool("archived"), query.String("topic"),
        query.Timestamp("created_after"), query.Timestamp("created_before"));

    /// <summary>The entries of <paramref name="userId"/> in <paramref name="channelId"/> that match <paramref name="f"/>.</summary>
    public static ListQuery Build(Guid userId, Guid channelId, FeedFilter f, CursorPage page) =>
        new ListQuery(FeedStore.Select, "d.id", page)
            .Where("d.recipient_id = @userId", "userId", userId)
            .Where("d.channel_id = @channelId", "channelId", channelId)
            .Where(FeedStore.IsEntry)
            .Where(StatusCondition(f.Status))
            // status=archived returns archived entries whatever `archived` says; otherwise they are left out unless archived=true.
            .Where(f.Status == "archived" || f.Archived == true ? null : "d.archived_at IS NULL")
            .Where("d.topic = @topic", "topic", f.Topic)
            .Created("d.created_at", f.CreatedAfter, f.CreatedBefore);

    private static string? StatusCondition(string? status) => status switch
    {
        "unseen" => "d.seen_at IS NULL",
        "seen" => "d.seen_at IS NOT NULL",
        "unread" => "d.read_at IS NULL",
        "read" => "d.read_at IS NOT NULL",
        "archived" => "d.archived_at IS NOT NULL",
        _ => null,
    };
}
