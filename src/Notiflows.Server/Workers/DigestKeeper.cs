using System.Text.Json.Nodes;
using Notiflows.Server.Api.Admin.Users;
using Notiflows.Server.Infrastructure;
using Notiflows.Storage.Database;
using Notiflows.Storage.Runs;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Workers;

/// <summary>
/// Digest windows (§12.5): at most one open window per (notiflow, step, recipient, key), enforced by a unique index.
/// The first notification opens it and carries it; later ones join and end; the carrier continues once when it closes.
/// </summary>
public sealed class DigestKeeper(IdGenerator ids, IConfiguration config)
{
    private readonly int _maxItems = config.GetValue("Notiflows:Digest:MaxItems", 100);

    /// <summary>Joins the open window of the key (returned), or opens one carried by <paramref name="n"/> (returns null).</summary>
    public async Task<DigestWindow?> OpenOrJoinAsync(
        DbSession s, NotificationRow n, string stepHandle, string key, TimeSpan window, DateTimeOffset now, CancellationToken ct)
    {
        var args = new { notiflowId = n.NotiflowId, stepHandle, recipientId = n.RecipientId, key, now };
        var open = await s.QueryOneAsync<DigestWindow>($"""
            SELECT id, carrier_notification_id, closes_at FROM digest_windows
            WHERE notiflow_id = @notiflowId AND step_handle = @stepHandle AND recipient_id = @recipientId AND digest_key = @key AND status = 'open'
            {s.ForUpdate}
            """, args, ct);
        if (open is not null && open.ClosesAt > now)
        {
            await s.ExecuteAsync("UPDATE digest_windows SET total_items = total_items + 1 WHERE id = @id", new { id = open.Id }, ct);
            return open;
        }
        if (open is not null)
        {
            // Its close time has passed but its carrier has not run yet: it stops accepting members; a new window opens.
            await s.ExecuteAsync("UPDATE digest_windows SET status = 'closing' WHERE id = @id", new { id = open.Id }, ct);
        }
        var id = ids.New();
        await s.ExecuteAsync("""
            INSERT INTO digest_windows (id, notiflow_id, step_handle, recipient_id, digest_key, carrier_notification_id, status, total_items, opened_at, closes_at)
            VALUES (@id, @notiflowId, @stepHandle, @recipientId, @key, @carrier, 'open', 1, @now, @closesAt)
            """, new { id, args.notiflowId, stepHandle, args.recipientId, key, carrier = n.Id, now, closesAt = now + window }, ct);
        n.DigestId = id;
        return null;
    }

    /// <summary>When the window closes (null when it does not exist).</summary>
    public Task<DateTimeOffset?> ClosesAtAsync(DbSession s, Guid windowId, CancellationToken ct) =>
        s.QueryOneAsync<DateTimeOffset?>("SELECT closes_at FROM digest_windows WHERE id = @windowId", new { windowId }, ct);

    public Task<int> CloseAsync(DbSession s, Guid windowId, CancellationToken ct) =>
        s.ExecuteAsync("UPDATE digest_windows SET status = 'closed' WHERE id = @windowId AND status IN ('open', 'closing')", new { windowId }, ct);

    /// <summary>The <c>digest</c> context of the carrier: total items and the first items in arrival order (§11.2).</summary>
    public async Task<JsonObject?> ContextAsync(DbSession s, Guid windowId, CancellationToken ct)
    {
        var window = await s.QueryOneAsync<DigestWindow>(
            "SELECT id, carrier_notification_id, closes_at, total_items FROM digest_windows WHERE id = @windowId", new { windowId }, ct);
        if (window is null)
        {
            return null;
        }
        var members = await s.QueryAsync<DigestMember>($"""
            SELECT n.id, n.recipient_id, n.actor_id, n.created_at, r.data FROM notifications n JOIN runs r ON r.id = n.run_id
            WHERE n.digest_id = @windowId ORDER BY n.created_at, n.id LIMIT @limit
            """, new { windowId, limit = _maxItems }, ct);
        var ordered = members.OrderBy(m => m.Id == window.CarrierNotificationId ? 0 : 1).ToList();
        var userIds = ordered.SelectMany(m => m.ActorId is { } a ? new[] { m.RecipientId, a } : [m.RecipientId]).Distinct().ToList();
        var users = userIds.Count == 0 ? [] : (await UserStore.GetByIdsAsync(s, userIds, ct)).ToDictionary(u => u.Id);
        var items = new JsonArray();
        foreach (var m in ordered)
        {
            items.Add(new JsonObject
            {
                ["data"] = JsonNode.Parse(m.Data),
                ["actor"] = m.ActorId is { } a && users.TryGetValue(a, out var actor) ? UserResponse.Json(actor) : null,
                ["recipient"] = users.TryGetValue(m.RecipientId, out var r) ? UserResponse.Json(r) : null,
                ["created_at"] = JsonDefaults.FormatTimestamp(m.CreatedAt),
            });
        }
        return new JsonObject { ["total_items"] = window.TotalItems, ["items"] = items };
    }
}

public sealed class DigestWindow
{
    public Guid Id { get; init; }
    public Guid CarrierNotificationId { get; init; }
    public DateTimeOffset ClosesAt { get; init; }
    public int TotalItems { get; init; }
}

public sealed class DigestMember
{
    public Guid Id { get; init; }
    public Guid RecipientId { get; init; }
    public Guid? ActorId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string Data { get; init; } = "{}";
}
