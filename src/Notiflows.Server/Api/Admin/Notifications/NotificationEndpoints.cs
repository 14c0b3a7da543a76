using Microsoft.AspNetCore.Http.HttpResults;
using Notiflows.Server.Api.Admin.Deliveries;
using Notiflows.Server.Api.Admin.Lists;
using Notiflows.Server.Auth;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure.Paging;
using Notiflows.Storage.Database;
using Notiflows.Storage.Runs;

namespace Notiflows.Server.Api.Admin.Notifications;

/// <summary>Reading notifications (§6.7): the list, one notification in full, its deliveries.</summary>
public static class NotificationEndpoints
{
    public static readonly IReadOnlyList<string> Statuses = ["pending", "processing", "processed", "failed", "cancelled"];

    /// <summary>
    /// The query of every notification list: <c>status</c>, <c>topic</c>, <c>created_after</c>, <c>created_before</c>,
    /// <c>notiflow</c> (handle or id), <c>notiflow_run_id</c>, <c>recipient</c> (external id).
    /// </summary>
    public static readonly ListSpec<NotificationFilter, NotificationRow, NotificationSummary> List = new(
        (q, projectId) =>
        {
            var (status, topic) = (q.OneOf("status", Statuses), q.String("topic"));
            var (after, before) = (q.Timestamp("created_after"), q.Timestamp("created_before"));
            var (notiflow, runId, recipient) = (q.String("notiflow"), q.Uuid("notiflow_run_id"), q.String("recipient"));
            return async (s, ct) => new NotificationFilter(projectId, status, topic, await ListParams.NotiflowIdAsync(s, projectId, notiflow, ct), runId,
                await ListParams.UserIdAsync(s, projectId, recipient, ct), after, before);
        },
        AdminListQueries.Notifications, n => n.Id, NotificationViews.SummariesAsync);

    public static void MapNotificationEndpoints(this RouteGroupBuilder root, RouteNames names)
    {
        var g = root.MapGroup("/notifications").WithTags("Admin: notifications");
        g.MapGet("", ListAll).WithName(names.Of("ListNotifications")).WithSummary("List notifications, newest first (cursor paging; filters).");
        g.MapGet("/{id}", Get).WithName(names.Of("GetNotification"))
            .WithSummary("One notification with recipient, actor, deliveries and step executions.");
        g.MapGet("/{notification_id}/deliveries", Deliveries).WithName(names.Of("ListNotificationDeliveries"))
            .WithSummary("A notification's deliveries, newest first (cursor paging; filters as for deliveries).");
    }

    private static Task<Results<Ok<CursorList<NotificationSummary>>, ApiError>> ListAll(HttpContext http, Db db, CancellationToken ct) =>
        AdminList.ServeAsync(http, db, "notifications", List, null, ct);

    private static async Task<Results<Ok<NotificationResponse>, ApiError>> Get(string id, HttpContext http, Db db, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var notificationId))
        {
            return ApiError.InvalidUuid("id");
        }
        var projectId = http.Project().Id;
        var view = await db.ReadAsync(async s =>
            await RunStore.GetNotificationAsync(s, projectId, notificationId, ct) is { } n ? await NotificationViews.FullAsync(s, n, ct) : null, ct);
        return view is null ? ApiError.NotFound("notification", id) : TypedResults.Ok(view);
    }

    private static async Task<Results<Ok<CursorList<DeliveryResponse>>, ApiError>> Deliveries(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "notification_id")] string notificationId, HttpContext http, Db db, CancellationToken ct)
    {
        if (!Guid.TryParse(notificationId, out var id))
        {
            return ApiError.InvalidUuid("notification_id");
        }
        var owner = new ListOwner<DeliveryFilter>("notification", notificationId,
            async (s, projectId, ct) => (await RunStore.GetNotificationAsync(s, projectId, id, ct))?.Id,
            (f, n) => f with { NotificationId = n });
        return await AdminList.ServeAsync(http, db, "notification_deliveries", DeliveryEndpoints.List, owner, ct);
    }
}
