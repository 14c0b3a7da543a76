using System.Text.Json.Nodes;
using Notiflows.Storage.Database;
using Notiflows.Storage.Runs;

namespace Notiflows.Server.Api.Admin.Runs;

public sealed record NotificationCounts(long Total, long Pending, long Processing, long Processed, long Failed, long Cancelled);

public sealed record FanOutProgress(string Status, int? Total, int Created);

/// <summary>A run (§5.13).</summary>
public sealed record RunResponse(
    Guid Id, Guid NotiflowId, string NotiflowHandle, Guid VersionId, int VersionNumber, bool Draft, string Status, string Source,
    JsonObject? TriggeredBy, string? Topic, int? RecipientCount, Guid? ActorId, JsonObject Data, string? CancellationKey,
    NotificationCounts NotificationCounts, FanOutProgress FanOut, DateTimeOffset? CancelRequestedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public static class RunViews
{
    public static async Task<RunResponse> ViewAsync(DbSession s, RunRow r, CancellationToken ct)
    {
        var meta = await s.QueryOneAsync<RunMeta>("""
            SELECT n.handle, v.version_number FROM notiflows n JOIN notiflow_versions v ON v.id = @versionId WHERE n.id = @notiflowId
            """, new { notiflowId = r.NotiflowId, versionId = r.VersionId }, ct);
        var counts = (await RunStore.CountByStatusAsync(s, r.Id, ct)).ToDictionary(c => c.Status, c => c.Count);
        return new RunResponse(r.Id, r.NotiflowId, meta?.Handle ?? "", r.VersionId, meta?.VersionNumber ?? 0, r.Draft, r.Status, r.Source,
            r.TriggeredBy is null ? null : JsonNode.Parse(r.TriggeredBy) as JsonObject, r.Topic, r.RecipientCount, r.ActorId,
            JsonNode.Parse(r.Data) as JsonObject ?? [], r.CancellationKey,
            new NotificationCounts(counts.Values.Sum(), counts.GetValueOrDefault("pending"), counts.GetValueOrDefault("processing"),
                counts.GetValueOrDefault("processed"), counts.GetValueOrDefault("failed"), counts.GetValueOrDefault("cancelled")),
            new FanOutProgress(r.FanOutStatus, r.FanOutTotal, r.FanOutCreated), r.CancelRequestedAt, r.StartedAt, r.CompletedAt,
            r.CreatedAt, r.UpdatedAt);
    }

    private sealed class RunMeta
    {
        public string Handle { get; init; } = "";
        public int VersionNumber { get; init; }
    }
}
