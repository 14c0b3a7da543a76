using System.Text.Json.Nodes;
using Notiflows.Server.Api.Admin.Users;
using Notiflows.Storage.Database;
using Notiflows.Storage.Runs;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Api.Admin.Notifications;

/// <summary>A notification (§5.14) with its deliveries and execution trail, as <c>GET /notifications/{id}</c> shows it.</summary>
public sealed record NotificationResponse(
    Guid Id, Guid NotiflowId, string NotiflowHandle, Guid NotiflowRunId, Guid VersionId, Guid RecipientId, JsonObject Recipient,
    Guid? ActorId, JsonObject? Actor, JsonObject Data, string? Topic, string Status, string? StatusReason, string? Error, Guid? DigestId,
    Guid? DigestedIntoNotificationId, string? CancellationKey, DateTimeOffset? ProcessedAt, IReadOnlyList<DeliveryResponse> Deliveries,
    IReadOnlyList<StepExecutionResponse> StepExecutions, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A notification in a list: without deliveries and step executions (§4.2).</summary>
public sealed record NotificationSummary(
    Guid Id, Guid NotiflowId, string NotiflowHandle, Guid NotiflowRunId, Guid VersionId, Guid RecipientId, JsonObject Recipient,
    Guid? ActorId, JsonObject? Actor, JsonObject Data, string? Topic, string Status, string? StatusReason, string? Error, Guid? DigestId,
    Guid? DigestedIntoNotificationId, string? CancellationKey, DateTimeOffset? ProcessedAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record StepExecutionResponse(
    string StepHandle, string StepType, string? ParentStepHandle, string? BranchHandle, string Outcome, string? Reason,
    DateTimeOffset StartedAt, DateTimeOffset? CompletedAt);

/// <summary>A delivery (§5.15).</summary>
public sealed record DeliveryResponse(
    Guid Id, Guid NotificationId, Guid NotiflowId, Guid NotiflowRunId, string StepHandle, Guid? ChannelId, string ChannelType,
    string? Provider, Guid RecipientId, Guid? ActorId, string Status, string? SkipReason, JsonNode Data, string? RecipientAddress,
    string? ProviderMessageId, string? Topic, string? Error, JsonArray Attempts, DateTimeOffset? NextAttemptAt, DateTimeOffset? SentAt,
    DateTimeOffset? DeliveredAt, DateTimeOffset? SeenAt, DateTimeOffset? ReadAt, DateTimeOffset? ClickedAt, DateTimeOffset? ArchivedAt,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static DeliveryResponse From(DeliveryRow d) => new(
        d.Id, d.NotificationId, d.NotiflowId, d.RunId, d.StepHandle, d.ChannelId, d.ChannelType, d.Provider, d.RecipientId, d.ActorId,
        d.Status, d.SkipReason, JsonNode.Parse(d.Data) ?? new JsonObject(), d.RecipientAddress, d.ProviderMessageId, d.Topic, d.Error,
        JsonNode.Parse(d.Attempts) as JsonArray ?? [], d.NextAttemptAt, d.SentAt, d.DeliveredAt, d.SeenAt, d.ReadAt, d.ClickedAt,
        d.ArchivedAt, d.CreatedAt, d.UpdatedAt);
}

/// <summary>Loads what notification responses embed: users (or their tombstones), runs, notiflow handles.</summary>
public static class NotificationViews
{
    public static async Task<IReadOnlyList<NotificationSummary>> SummariesAsync(DbSession s, IReadOnlyList<NotificationRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return [];
        }
        var userIds = rows.SelectMany(n => n.ActorId is { } a ? new[] { n.RecipientId, a } : [n.RecipientId]).Distinct().ToList();
        var users = (await UserStore.GetByIdsAsync(s, userIds, ct)).ToDictionary(u => u.Id);
        var runs = (await RunStore.GetRunsAsync(s, rows.Select(n => n.RunId).Distinct().ToList(), ct)).ToDictionary(r => r.Id);
        var handles = (await s.QueryAsync<HandleRow>(
            $"SELECT id, handle FROM notiflows WHERE {s.In("id", "@ids")}", new { ids = s.Ids(rows.Select(n => n.NotiflowId).Distinct()) }, ct))
            .ToDictionary(h => h.Id, h => h.Handle);
        return rows.Select(n =>
        {
            var run = runs[n.RunId];
            return new NotificationSummary(n.Id, n.NotiflowId, handles.GetValueOrDefault(n.NotiflowId, ""), n.RunId, n.VersionId, n.RecipientId,
                User(users, n.RecipientId)!, n.ActorId, n.ActorId is { } a ? User(users, a) : null, JsonNode.Parse(run.Data) as JsonObject ?? [],
                n.Topic, n.Status, n.StatusReason, n.Error, n.DigestId, n.DigestedIntoNotificationId, run.CancellationKey, n.ProcessedAt,
                n.CreatedAt, n.UpdatedAt);
        }).ToList();
    }

    public static async Task<NotificationResponse> FullAsync(DbSession s, NotificationRow row, CancellationToken ct)
    {
        var n = (await SummariesAsync(s, [row], ct))[0];
        var deliveries = (await RunStore.GetDeliveriesAsync(s, row.Id, ct)).Select(DeliveryResponse.From).ToList();
        var steps = (await RunStore.GetStepsAsync(s, row.Id, ct)).Select(e => new StepExecutionResponse(
            e.StepHandle, e.StepType, e.ParentStepHandle, e.BranchHandle, e.Outcome, e.Reason, e.StartedAt, e.CompletedAt)).ToList();
        return new NotificationResponse(n.Id, n.NotiflowId, n.NotiflowHandle, n.NotiflowRunId, n.VersionId, n.RecipientId, n.Recipient,
            n.ActorId, n.Actor, n.Data, n.Topic, n.Status, n.StatusReason, n.Error, n.DigestId, n.DigestedIntoNotificationId,
            n.CancellationKey, n.ProcessedAt, deliveries, steps, n.CreatedAt, n.UpdatedAt);
    }

    /// <summary>The full user, or the tombstone of a deleted one (§5.2).</summary>
    private static JsonObject? User(Dictionary<Guid, UserRow> users, Guid id) =>
        users.TryGetValue(id, out var u) ? UserResponse.Json(u) : new JsonObject { ["id"] = id.ToString(), ["deleted"] = true };

    private sealed class HandleRow
    {
        public Guid Id { get; init; }
        public string Handle { get; init; } = "";
    }
}
