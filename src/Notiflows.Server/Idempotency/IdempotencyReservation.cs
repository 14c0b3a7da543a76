using System.Text.Json;
using Notiflows.Server.Infrastructure;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Idempotency;

/// <summary>
/// An Idempotency-Key reserved for the request being processed. A handler whose effects commit in one transaction
/// (a run) records the response in that same transaction, so a crash can never leave an acknowledged run without
/// its stored response or a stored response without its run.
/// </summary>
public sealed class IdempotencyReservation(Guid scopeId, string key)
{
    public bool Completed { get; private set; }

    public async Task CompleteAsync(DbSession s, int status, object body, string? location, CancellationToken ct)
    {
        await s.ExecuteAsync("""
            UPDATE idempotency_keys SET status = 'completed', response_status = @status, response_body = @body, location = @location
            WHERE scope_id = @scopeId AND idem_key = @key
            """, new { scopeId, key, status, body = JsonSerializer.Serialize(body, JsonDefaults.Options), location }, ct);
        Completed = true;
    }
}
