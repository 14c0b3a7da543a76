using Notiflows.Storage.Database;

namespace Notiflows.Storage.Jobs;

/// <summary>
/// The database as the queue. Claiming sets a lease owned by a claim token; finishing or rescheduling a job checks
/// that token inside the transaction of the job's effects, so a job whose lease was taken over by another worker
/// cannot commit its effects twice. PostgreSQL claims with <c>FOR UPDATE SKIP LOCKED</c>; SQLite has one writer.
/// </summary>
public static class JobStore
{
    private const string Columns = "id, kind, target_id, due_at, locked_until, locked_by, attempts, last_error, created_at";

    public static Task<int> EnqueueAsync(DbSession s, JobRow job, CancellationToken ct) =>
        s.ExecuteAsync($"""
            INSERT INTO jobs ({Columns}) VALUES (@Id, @Kind, @TargetId, @DueAt, NULL, NULL, 0, NULL, @CreatedAt)
            ON CONFLICT (kind, target_id) DO UPDATE SET due_at = excluded.due_at, locked_until = NULL, locked_by = NULL, attempts = 0
            """, job, ct);

    /// <summary>
    /// Claims up to <paramref name="limit"/> due, unleased jobs of <paramref name="filter"/>, oldest first. The kind
    /// predicates are literal (not parameters) so that both databases use the partial index of that side (0006).
    /// </summary>
    public static Task<IReadOnlyList<JobRow>> ClaimAsync(
        DbSession s, string token, DateTimeOffset now, TimeSpan lease, int limit, CancellationToken ct, JobFilter filter = JobFilter.All)
    {
        var skipLocked = s.Kind == DbKind.Postgres ? " FOR UPDATE SKIP LOCKED" : "";
        var (kind, index) = filter switch
        {
            JobFilter.Engine => ($" AND kind <> '{JobKinds.Delivery}'", "jobs_due_engine"),
            JobFilter.Deliveries => ($" AND kind = '{JobKinds.Delivery}'", "jobs_due_delivery"),
            _ => ("", null),
        };
        // Without statistics SQLite would rather read the kind's rows by the (kind, target_id) key and sort them all.
        var indexed = s.Kind == DbKind.Sqlite && index is not null ? $" INDEXED BY {index}" : "";
        return s.QueryAsync<JobRow>($"""
            UPDATE jobs SET locked_until = @until, locked_by = @token, attempts = attempts + 1
            WHERE id IN (SELECT id FROM jobs{indexed} WHERE due_at <= @now AND (locked_until IS NULL OR locked_until < @now){kind}
                         ORDER BY due_at LIMIT @limit{skipLocked})
            RETURNING {Columns}
            """, new { until = now + lease, token, now, limit }, ct);
    }

    /// <summary>Deletes the job if this claim still owns it; false means the lease was lost and the effects must not commit.</summary>
    public static async Task<bool> CompleteAsync(DbSession s, Guid id, string token, CancellationToken ct) =>
        await s.ExecuteAsync("DELETE FROM jobs WHERE id = @id AND locked_by = @token", new { id, token }, ct) == 1;

    /// <summary>Sets the job due again (a wait, a digest window, a retry) if this claim still owns it.</summary>
    public static async Task<bool> RescheduleAsync(DbSession s, Guid id, string token, DateTimeOffset dueAt, string? error, CancellationToken ct) =>
        await s.ExecuteAsync(
            "UPDATE jobs SET due_at = @dueAt, locked_until = NULL, locked_by = NULL, last_error = @error WHERE id = @id AND locked_by = @token",
            new { id, token, dueAt, error }, ct) == 1;

    /// <summary>
    /// Sets the job due again as fresh work (its crash counter back to zero): a delivery's next provider attempt. False if
    /// this claim no longer owns it.
    /// </summary>
    public static async Task<bool> RequeueAsync(DbSession s, Guid id, string token, DateTimeOffset dueAt, CancellationToken ct) =>
        await s.ExecuteAsync(
            "UPDATE jobs SET due_at = @dueAt, locked_until = NULL, locked_by = NULL, attempts = 0, last_error = NULL WHERE id = @id AND locked_by = @token",
            new { id, token, dueAt }, ct) == 1;

    /// <summary>
    /// Extends this claim's lease to <paramref name="until"/> (and locks the job row on PostgreSQL); false means the lease
    /// was lost. A delivery job holds its lease this way before a provider call that may take the whole call timeout.
    /// </summary>
    public static async Task<bool> HoldAsync(DbSession s, Guid id, string token, DateTimeOffset until, CancellationToken ct) =>
        await s.ExecuteAsync("UPDATE jobs SET locked_until = @until WHERE id = @id AND locked_by = @token", new { id, token, until }, ct) == 1;

    /// <summary>
    /// Whether this claim still holds the job (row-locked on PostgreSQL until the transaction ends): the check before the
    /// effects of work that ends or requeues the job in the same transaction, without rewriting the row as a hold would.
    /// </summary>
    public static async Task<bool> OwnsAsync(DbSession s, Guid id, string token, CancellationToken ct) =>
        await s.QueryOneAsync<int>($"SELECT count(*) FROM (SELECT id FROM jobs WHERE id = @id AND locked_by = @token{s.ForUpdate}) mine", new { id, token }, ct) == 1;
}
