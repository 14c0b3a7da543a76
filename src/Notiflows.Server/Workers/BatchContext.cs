using System.Text.Json.Nodes;
using Notiflows.Core.Engine;
using Notiflows.Core.Users;
using Notiflows.Server.Api.Admin.Users;
using Notiflows.Storage.Database;
using Notiflows.Storage.Runs;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Workers;

/// <summary>Everything a batch of notifications reads, loaded with one query per kind of row.</summary>
public sealed class BatchContext
{
    private readonly Dictionary<Guid, JsonObject> _data = [];
    private readonly Dictionary<Guid, ChannelDirectory> _channels = [];
    private Dictionary<(Guid, string), StepState> _steps = [];
    private Dictionary<Guid, int> _stepCounts = [];
    // Each recipient's preferences and channel settings (absent: none set).
    private Dictionary<Guid, RecipientFacts> _facts = [];

    public Dictionary<Guid, RunRow> Runs { get; private init; } = [];
    public Dictionary<Guid, NotiflowInfo> Notiflows { get; private init; } = [];
    public Dictionary<Guid, StepGraph> Graphs { get; } = [];
    public Dictionary<Guid, JsonObject> Users { get; private init; } = [];


    public static async Task<BatchContext> LoadAsync(
        DbSession s, IReadOnlyList<NotificationRow> notifications, bool created, VersionCache versions, CancellationToken ct)
    {
        var runIds = notifications.Select(n => n.RunId).Distinct().ToList();
        var notiflowIds = notifications.Select(n => n.NotiflowId).Distinct().ToList();
        var userIds = notifications.SelectMany(n => n.ActorId is { } a ? new[] { n.RecipientId, a } : [n.RecipientId]).Distinct().ToList();
        var context = new BatchContext
        {
            Runs = (await RunStore.GetRunsAsync(s, runIds, ct)).ToDictionary(r => r.Id),
            Notiflows = (await s.QueryAsync<NotiflowMeta>(
                    $"SELECT id, handle, name, include_in_preferences FROM notiflows WHERE {s.In("id", "@ids")}", new { ids = s.Ids(notiflowIds) }, ct))
                .ToDictionary(m => m.Id, m => new NotiflowInfo(m.Id, m.Handle, m.Name, m.IncludeInPreferences)),
            Users = (await UserStore.GetByIdsAsync(s, userIds, ct)).ToDictionary(u => u.Id, UserResponse.Json),
        };
        context._facts = await LoadFactsAsync(s, notifications.Select(n => n.RecipientId).Distinct().ToList(), ct);
        foreach (var n in notifications.DistinctBy(n => n.VersionId))
        {
            context.Graphs[n.VersionId] = await versions.GetAsync(s, n.NotiflowId, n.VersionId, ct);
        }
        if (!created)
        {
            var steps = await s.QueryAsync<StepState>(
                $"SELECT notification_id, step_handle, outcome, started_at FROM step_executions WHERE {s.In("notification_id", "@ids")}",
                new { ids = s.Ids(notifications.Select(n => n.Id)) }, ct);
            context._steps = steps.ToDictionary(x => (x.NotificationId, x.StepHandle));
            context._stepCounts = steps.GroupBy(x => x.NotificationId).ToDictionary(g => g.Key, g => g.Count());
        }
        return context;
    }

    public IRecipientFacts FactsOf(Guid recipientId) => _facts.GetValueOrDefault(recipientId) ?? RecipientFacts.None;

    private static async Task<Dictionary<Guid, RecipientFacts>> LoadFactsAsync(DbSession s, List<Guid> recipients, CancellationToken ct)
    {
        var ids = s.Ids(recipients);
        var preferences = (await s.QueryAsync<UserBlob>(
            $"SELECT user_id, preferences AS blob FROM user_preferences WHERE {s.In("user_id", "@ids")}", new { ids }, ct)).ToDictionary(p => p.UserId, p => p.Blob);
        var settings = await s.QueryAsync<UserBlob>(
            $"SELECT user_id, channel_id, settings AS blob FROM channel_settings WHERE {s.In("user_id", "@ids")}", new { ids }, ct);
        var subscriptions = await s.QueryAsync<UserBlob>(
            $"SELECT DISTINCT user_id, channel_id FROM channel_subscriptions WHERE {s.In("user_id", "@ids")}", new { ids }, ct);
        var facts = new Dictionary<Guid, RecipientFacts>();
        foreach (var user in preferences.Keys.Concat(settings.Select(x => x.UserId)).Concat(subscriptions.Select(x => x.UserId)).Distinct())
        {
            facts[user] = new RecipientFacts(
                PreferenceSet.Parse(preferences.GetValueOrDefault(user)),
                settings.Where(x => x.UserId == user && Reachable(x.Blob)).Select(x => x.ChannelId).ToHashSet(),
                subscriptions.Where(x => x.UserId == user).Select(x => x.ChannelId).ToHashSet());
        }
        return facts;
    }

    /// <summary>Settings reach the user unless they are push settings whose device tokens have all gone (§14.3).</summary>
    private static bool Reachable(string settings) =>
        JsonNode.Parse(settings) is not JsonObject o || o["device_tokens"] is not JsonArray tokens || tokens.Count > 0;

    public JsonObject Data(RunRow run)
    {
        if (!_data.TryGetValue(run.Id, out var data))
        {
            _data[run.Id] = data = JsonNode.Parse(run.Data) as JsonObject ?? [];
        }
        return data;
    }

    public async Task<ChannelDirectory> ChannelsAsync(DbSession s, Guid projectId, CancellationToken ct)
    {
        if (!_channels.TryGetValue(projectId, out var directory))
        {
            _channels[projectId] = directory = await ChannelDirectory.LoadAsync(s, projectId, ct);
        }
        return directory;
    }

    public int StepCount(Guid notificationId) => _stepCounts.GetValueOrDefault(notificationId);

    /// <summary>True when the notification is suspended at <paramref name="handle"/> (its execution is recorded as waiting).</summary>
    public bool IsWaitingAt(Guid notificationId, string handle) =>
        _steps.TryGetValue((notificationId, handle), out var state) && state.Outcome == "waiting";

    public DateTimeOffset? StartedAt(Guid notificationId, string handle) =>
        _steps.TryGetValue((notificationId, handle), out var state) ? state.StartedAt : null;

    public sealed class StepState
    {
        public Guid NotificationId { get; init; }
        public string StepHandle { get; init; } = "";
        public string Outcome { get; init; } = "";
        public DateTimeOffset StartedAt { get; init; }
    }

    private sealed class UserBlob
    {
        public Guid UserId { get; init; }
        public Guid ChannelId { get; init; }
        public string Blob { get; init; } = "";
    }

    private sealed class NotiflowMeta
    {
        public Guid Id { get; init; }
        public string Handle { get; init; } = "";
        public string Name { get; init; } = "";
        public bool IncludeInPreferences { get; init; }
    }
}
