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
    public static async Task<RunResponse> ViewAsync(DbSession s, RunRow r, CancellationToken ct) => (await ViewsAsync(s, [r], ct))[0];

    /// <summary>The runs' views with one query for their notiflows and versions and one for their notification counts.</summary>
    public static async Task<IReadOnlyList<RunResponse>> ViewsAsync(DbSession s, IReadOnlyList<RunRow> runs, CancellationToken ct)
    {
        if (runs.Count == 0)
        {
            return [];
        }
        var handles = (await s.QueryAsync<Named>(
                $"SELECT id, handle AS name FROM notiflows WHERE {s.In("id", "@ids")}", new { ids = s.Ids(runs.Select(r => r.NotiflowId).Distinct()) }, ct))
            .ToDictionary(n => n.Id, n => n.Name);
        var versions = (await s.QueryAsync<Numbered>(
                $"SELECT id, version_number FROM notiflow_versions WHERE {s.In("id", "@ids")}", new { ids = s.Ids(runs.Select(r => r.VersionId).Distinct()) }, ct))
            .ToDictionary(v => v.Id, v => v.VersionNumber);
        var counts = (await s.QueryAsync<RunStatusCount>(
                $"SELECT run_id, status, COUNT(*) AS count FROM notifications WHERE {s.In("run_id", "@ids")} GROUP BY run_id, status",
                new { ids = s.Ids(runs.Select(r => r.Id)) }, ct))
            .ToLookup(c => c.RunId);
        return runs.Select(r =>
        {
            var of = counts[r.Id].ToDictionary(c => c.Status, c => c.Count);
            return new RunResponse(r.Id, r.NotiflowId, handles.GetValueOrDefault(r.NotiflowId, ""), r.VersionId, versions.GetValueOrDefault(r.VersionId),
                r.Draft, r.Status, r.Source, r.TriggeredBy is null ? null : JsonNode.Parse(r.TriggeredBy) as JsonObject, r.Topic, r.RecipientCount,
                r.ActorId, JsonNode.Parse(r.Data) as JsonObject ?? [], r.CancellationKey,
                new NotificationCounts(of.Values.Sum(), of.GetValueOrDefault("pending"), of.GetValueOrDefault("processing"),
                    of.GetValueOrDefault("processed"), of.GetValueOrDefault("failed"), of.GetValueOrDefault("cancelled")),
                new FanOutProgress(r.FanOutStatus, r.FanOutTotal, r.FanOutCreated), r.CancelRequestedAt, r.StartedAt, r.CompletedAt,
                r.CreatedAt, r.UpdatedAt);
        }).ToList();
    }

    private sealed class Named
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
    }

    private sealed class Numbered
    {
        public Guid Id { get; init; }
        public int VersionNumber { get; init; }
    }

    private sealed class RunStatusCount
    {
        public Guid RunId { get; init; }
        public string Status { get; init; } = "";
        public long Count { get; init; }
    }
}
