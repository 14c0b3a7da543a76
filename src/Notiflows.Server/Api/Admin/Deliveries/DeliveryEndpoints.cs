using Microsoft.AspNetCore.Http.HttpResults;
using Notiflows.Core.Channels;
using Notiflows.Server.Api.Admin.Lists;
using Notiflows.Server.Api.Admin.Notifications;
using Notiflows.Server.Auth;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure.Paging;
using Notiflows.Storage.Database;
using Notiflows.Storage.Runs;

namespace Notiflows.Server.Api.Admin.Deliveries;

/// <summary>Reading deliveries (§6.8): the list and one delivery.</summary>
public static class DeliveryEndpoints
{
    public static readonly IReadOnlyList<string> Statuses = ["pending", "processing", "sent", "delivered", "failed", "bounced", "skipped"];

    /// <summary>
    /// The query of every delivery list: <c>channel_id</c>, <c>status</c>, <c>topic</c>, <c>created_after</c>,
    /// <c>created_before</c>, <c>channel_type</c>, <c>notiflow</c> (handle or id), <c>notiflow_run_id</c>.
    /// </summary>
    public static readonly ListSpec<DeliveryFilter, DeliveryRow, DeliveryResponse> List = new(
        (q, projectId) =>
        {
            var (channelId, status, topic) = (q.Uuid("channel_id"), q.OneOf("status", Statuses), q.String("topic"));
            var (after, before) = (q.Timestamp("created_after"), q.Timestamp("created_before"));
            var (channelType, notiflow, runId) = (q.OneOf("channel_type", ChannelTypes.All), q.String("notiflow"), q.Uuid("notiflow_run_id"));
            return async (s, ct) => new DeliveryFilter(projectId, channelId, status, topic, channelType,
                await ListParams.NotiflowIdAsync(s, projectId, notiflow, ct), runId, CreatedAfter: after, CreatedBefore: before);
        },
        AdminListQueries.Deliveries, d => d.Id, (_, rows, _) => Task.FromResult<IReadOnlyList<DeliveryResponse>>(rows.Select(DeliveryResponse.From).ToList()));

    public static void MapDeliveryEndpoints(this RouteGroupBuilder root, RouteNames names)
    {
        var g = root.MapGroup("/deliveries").WithTags("Admin: deliveries");
        g.MapGet("", ListAll).WithName(names.Of("ListDeliveries")).WithSummary("List deliveries, newest first (cursor paging; filters).");
        g.MapGet("/{id}", Get).WithName(names.Of("GetDelivery")).WithSummary("One delivery.");
    }

    /// <summary>The delivery of the project with this id (and of this recipient, when given), or null.</summary>
    public static async Task<DeliveryResponse?> FindAsync(DbSession s, Guid projectId, Guid id, Guid? recipientId, CancellationToken ct) =>
        await s.QueryOneAsync<DeliveryRow>($"""
            SELECT {RunStore.DeliveryColumns} FROM deliveries
            WHERE id = @id AND project_id = @projectId{(recipientId is null ? "" : " AND recipient_id = @recipientId")}
            """, new { id, projectId, recipientId }, ct) is { } row ? DeliveryResponse.From(row) : null;

    private static Task<Results<Ok<CursorList<DeliveryResponse>>, ApiError>> ListAll(HttpContext http, Db db, CancellationToken ct) =>
        AdminList.ServeAsync(http, db, "deliveries", List, null, ct);

    private static async Task<Results<Ok<DeliveryResponse>, ApiError>> Get(string id, HttpContext http, Db db, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var deliveryId))
        {
            return ApiError.InvalidUuid("id");
        }
        var projectId = http.Project().Id;
        var delivery = await db.ReadAsync(s => FindAsync(s, projectId, deliveryId, null, ct), ct);
        return delivery is null ? ApiError.NotFound("delivery", id) : TypedResults.Ok(delivery);
    }
}
