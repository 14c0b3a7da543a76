using Microsoft.AspNetCore.Http.HttpResults;
using Notiflows.Server.Api.Admin.Deliveries;
using Notiflows.Server.Api.Admin.Lists;
using Notiflows.Server.Api.Admin.Notifications;
using Notiflows.Server.Api.Admin.Topics;
using Notiflows.Server.Auth;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure.Paging;
using Notiflows.Storage.Database;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Api.Admin.Users;

/// <summary>The user list (§6.1) and what a user owns: topic subscriptions (§6.2), notifications and deliveries (§6.1).</summary>
public static class UserListEndpoints
{
    /// <summary>Users, newest first: <c>created_after</c>, <c>created_before</c>.</summary>
    public static readonly ListSpec<(Guid ProjectId, DateTimeOffset? After, DateTimeOffset? Before), UserRow, UserResponse> List = new(
        (q, projectId) =>
        {
            var (after, before) = (q.Timestamp("created_after"), q.Timestamp("created_before"));
            return (_, _) => Task.FromResult((projectId, after, before));
        },
        (f, page) => AdminListQueries.Users(f.ProjectId, f.After, f.Before, page), u => u.Id,
        (_, rows, _) => Task.FromResult<IReadOnlyList<UserResponse>>(rows.Select(UserResponse.From).ToList()));

    /// <summary>A user's topic subscriptions: no filters; the user comes from the path (<see cref="ListOwner{TFilter}"/>).</summary>
    public static readonly ListSpec<Guid, SubscriptionResponse, SubscriptionResponse> Subscriptions = new(
        (_, _) => (_, _) => Task.FromResult(Guid.Empty), AdminListQueries.UserSubscriptions, x => x.Id, (_, rows, _) => Task.FromResult(rows));

    public static void MapUserListEndpoints(this RouteGroupBuilder root, RouteNames names)
    {
        var g = root.MapGroup("/users").WithTags("Admin: users");
        g.MapGet("", ListAll).WithName(names.Of("ListUsers")).WithSummary("List users, newest first (cursor paging; created filters).");
        g.MapGet("/{user_id}/subscriptions", ListSubscriptions).WithName(names.Of("ListUserSubscriptions"))
            .WithSummary("A user's topic subscriptions, newest first (cursor paging).");
        g.MapGet("/{user_id}/notifications", ListNotifications).WithName(names.Of("ListUserNotifications"))
            .WithSummary("The user's notifications as recipient (query as GET /notifications).");
        g.MapGet("/{user_id}/deliveries", ListDeliveries).WithName(names.Of("ListUserDeliveries"))
            .WithSummary("The user's deliveries (query as GET /deliveries).");
        g.MapGet("/{user_id}/deliveries/{delivery_id}", GetDelivery).WithName(names.Of("GetUserDelivery")).WithSummary("One delivery of the user.");
    }

    private static Task<Results<Ok<CursorList<UserResponse>>, ApiError>> ListAll(HttpContext http, Db db, CancellationToken ct) =>
        AdminList.ServeAsync(http, db, "users", List, null, ct);

    private static Task<Results<Ok<CursorList<SubscriptionResponse>>, ApiError>> ListSubscriptions(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "user_id")] string userId, HttpContext http, Db db, CancellationToken ct) =>
        AdminList.ServeAsync(http, db, "user_subscriptions", Subscriptions, Owner<Guid>(userId, (_, user) => user), ct);

    /// <summary>A <c>recipient</c> filter naming someone else matches nothing.</summary>
    private static Task<Results<Ok<CursorList<NotificationSummary>>, ApiError>> ListNotifications(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "user_id")] string userId, HttpContext http, Db db, CancellationToken ct) =>
        AdminList.ServeAsync(http, db, "user_notifications", NotificationEndpoints.List,
            Owner<NotificationFilter>(userId, (f, user) => f with { RecipientId = ListParams.Within(f.RecipientId, user) }), ct);

    private static Task<Results<Ok<CursorList<DeliveryResponse>>, ApiError>> ListDeliveries(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "user_id")] string userId, HttpContext http, Db db, CancellationToken ct) =>
        AdminList.ServeAsync(http, db, "user_deliveries", DeliveryEndpoints.List, Owner<DeliveryFilter>(userId, (f, user) => f with { RecipientId = user }), ct);

    /// <summary>400 for a malformed delivery id first, then 404 <c>user</c>, then 404 <c>delivery</c> (also for another user's delivery).</summary>
    private static async Task<Results<Ok<DeliveryResponse>, ApiError>> GetDelivery(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "user_id")] string userId, [Microsoft.AspNetCore.Mvc.FromRoute(Name = "delivery_id")] string deliveryId,
        HttpContext http, Db db, CancellationToken ct)
    {
        if (!Guid.TryParse(deliveryId, out var id))
        {
            return ApiError.InvalidUuid("delivery_id");
        }
        var projectId = http.Project().Id;
        return await db.ReadAsync<Results<Ok<DeliveryResponse>, ApiError>>(async s =>
        {
            if (await UserStore.GetByExternalIdAsync(s, projectId, userId, ct) is not { } user)
            {
                return ApiError.NotFound("user", userId);
            }
            return await DeliveryEndpoints.FindAsync(s, projectId, id, user.Id, ct) is { } delivery
                ? TypedResults.Ok(delivery) : ApiError.NotFound("delivery", deliveryId);
        }, ct);
    }

    /// <summary>The user of the path (by external id, §6.1) as the owner of a nested list.</summary>
    private static ListOwner<T> Owner<T>(string userId, Func<T, Guid, T> narrow) =>
        new("user", userId, async (s, projectId, ct) => (await UserStore.GetByExternalIdAsync(s, projectId, userId, ct))?.Id, narrow);
}
