using Notiflows.Storage.Database;

namespace Notiflows.Storage.Runs;

/// <summary>
/// The two transitions inbound provider events apply (§13.5, §14.4), to the channel's deliveries with the provider's
/// message id. Each is one guarded <c>UPDATE</c>: a repeat, an unknown id or a delivery in another status changes nothing.
/// </summary>
public static class DeliveryEventsStore
{
    /// <summary><c>sent → delivered</c>, setting <c>delivered_at</c>. The number of deliveries moved.</summary>
    public static Task<int> DeliveredAsync(DbSession s, Guid channelId, string providerMessageId, DateTimeOffset now, CancellationToken ct) =>
        s.ExecuteAsync("""
            UPDATE deliveries SET status = 'delivered', delivered_at = @now, updated_at = @now
            WHERE channel_id = @channelId AND provider_message_id = @providerMessageId AND status = 'sent'
            """, new { channelId, providerMessageId, now }, ct);

    /// <summary><c>sent</c> / <c>delivered</c> → <c>bounced</c>, recording the provider's reason in <c>error</c>.</summary>
    public static Task<int> BouncedAsync(
        DbSession s, Guid channelId, string providerMessageId, string reason, DateTimeOffset now, CancellationToken ct) =>
        s.ExecuteAsync("""
            UPDATE deliveries SET status = 'bounced', error = @reason, updated_at = @now
            WHERE channel_id = @channelId AND provider_message_id = @providerMessageId AND status IN ('sent', 'delivered')
            """, new { channelId, providerMessageId, reason, now }, ct);
}
