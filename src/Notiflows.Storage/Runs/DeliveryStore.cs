using Notiflows.Storage.Database;

namespace Notiflows.Storage.Runs;

/// <summary>SQL for the provider lifecycle of one delivery (§12.9): load it locked, write its sending state back.</summary>
public static class DeliveryStore
{
    public static Task<DeliveryRow?> GetForUpdateAsync(DbSession s, Guid id, CancellationToken ct) =>
        s.QueryOneAsync<DeliveryRow>($"SELECT {RunStore.DeliveryColumns} FROM deliveries WHERE id = @id{s.ForUpdate}", new { id }, ct);

    /// <summary>Writes the columns a provider attempt changes.</summary>
    public static Task<int> UpdateSendingAsync(DbSession s, DeliveryRow d, CancellationToken ct) =>
        s.ExecuteAsync("""
            UPDATE deliveries SET channel_id = @ChannelId, provider = @Provider, status = @Status, provider_message_id = @ProviderMessageId,
                   error = @Error, attempts = @Attempts, next_attempt_at = @NextAttemptAt, sent_at = @SentAt, delivered_at = @DeliveredAt,
                   updated_at = @UpdatedAt
            WHERE id = @Id
            """, d, ct);
}
