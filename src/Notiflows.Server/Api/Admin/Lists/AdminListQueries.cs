using Notiflows.Server.Api.Admin.Topics;
using Notiflows.Server.Infrastructure.Paging;
using Notiflows.Storage.Runs;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Api.Admin.Lists;

/// <summary>
/// The SQL of every Admin list (§6), one builder each, so the endpoints and the plan test (which EXPLAINs these on
/// PostgreSQL) run the same statements. Each filter is an equality on the column an index of 0003_admin.sql leads
/// with after <c>project_id</c> (or on its own: run, recipient, notification, user), and every such index ends with
/// id, so whichever index the planner picks returns the page in id order.
/// </summary>
public static class AdminListQueries
{
    public static ListQuery Users(Guid projectId, DateTimeOffset? createdAfter, DateTimeOffset? createdBefore, CursorPage page) =>
        new ListQuery($"SELECT {UserStore.Columns} FROM users", "id", page)
            .Where("project_id = @projectId", "projectId", projectId)
            .Created("created_at", createdAfter, createdBefore);

    /// <summary>A user's topic subscriptions (§6.2), through <c>subscriptions (user_id, id)</c>.</summary>
    public static ListQuery UserSubscriptions(Guid userId, CursorPage page) =>
        new ListQuery(TopicEndpoints.SubscriptionSelect, "s.id", page).Where("s.user_id = @userId", "userId", userId);

    public static ListQuery Runs(RunFilter f, CursorPage page) =>
        new ListQuery($"SELECT {RunStore.RunColumns} FROM runs", "id", page)
            .Where("project_id = @projectId", "projectId", f.ProjectId)
            .Where("notiflow_id = @notiflowId", "notiflowId", f.NotiflowId)
            .Where("status = @status", "status", f.Status)
            .Where("topic = @topic", "topic", f.Topic)
            .Where("cancellation_key = @cancellationKey", "cancellationKey", f.CancellationKey)
            .Created("created_at", f.CreatedAfter, f.CreatedBefore);

    public static ListQuery Notifications(NotificationFilter f, CursorPage page) =>
        new ListQuery($"SELECT {RunStore.NotificationColumns} FROM notifications", "id", page)
            .Where("project_id = @projectId", "projectId", f.ProjectId)
            .Where("status = @status", "status", f.Status)
            .Where("topic = @topic", "topic", f.Topic)
            .Where("notiflow_id = @notiflowId", "notiflowId", f.NotiflowId)
            .Where("run_id = @runId", "runId", f.RunId)
            .Where("recipient_id = @recipientId", "recipientId", f.RecipientId)
            .Created("created_at", f.CreatedAfter, f.CreatedBefore);

    /// <summary>
    /// Deliveries. Nested under a notification the list goes through <c>UNIQUE (notification_id, step_handle)</c> and
    /// sorts: a notification has at most one delivery per channel step, so that sort is over a handful of rows.
    /// </summary>
    public static ListQuery Deliveries(DeliveryFilter f, CursorPage page) =>
        new ListQuery($"SELECT {RunStore.DeliveryColumns} FROM deliveries", "id", page)
            .Where("project_id = @projectId", "projectId", f.ProjectId)
            .Where("channel_id = @channelId", "channelId", f.ChannelId)
            .Where("status = @status", "status", f.Status)
            .Where("topic = @topic", "topic", f.Topic)
            .Where("channel_type = @channelType", "channelType", f.ChannelType)
            .Where("notiflow_id = @notiflowId", "notiflowId", f.NotiflowId)
            .Where("run_id = @runId", "runId", f.RunId)
            .Where("recipient_id = @recipientId", "recipientId", f.RecipientId)
            .Where("notification_id = @notificationId", "notificationId", f.NotificationId)
            .Created("created_at", f.CreatedAfter, f.CreatedBefore);
}
