namespace Notiflows.Server.Workers;

/// <summary>
/// Wakes the workers when new work was committed on this node (other nodes hear it through LISTEN/NOTIFY): an engine
/// loop for runs and notifications, the delivery loop for provider sends — each only for its own kind of work, so a busy
/// run intake does not make the delivery loop query for sends that are not there.
/// </summary>
public sealed class JobSignal
{
    private readonly SemaphoreSlim _engine = new(0, int.MaxValue);
    private readonly SemaphoreSlim _deliveries = new(0, int.MaxValue);

    /// <summary>Run or notification jobs were committed (a run accepted): wakes an engine loop only.</summary>
    public void NotifyEngine() => _engine.Release();

    /// <summary>Delivery jobs became due now: wakes the delivery loop only.</summary>
    public void NotifyDeliveries() => _deliveries.Release();

    /// <summary>Waits for a wake-up for an engine loop, or until <paramref name="timeout"/> passes (timers).</summary>
    public Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct) => WaitAsync(_engine, timeout, time, ct);

    /// <summary>Waits for a wake-up for the delivery loop, or until <paramref name="timeout"/> passes (retries falling due).</summary>
    public Task WaitForDeliveriesAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct) => WaitAsync(_deliveries, timeout, time, ct);

    private static async Task WaitAsync(SemaphoreSlim signal, TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            await signal.WaitAsync(Timeout.InfiniteTimeSpan, timer.Token).WaitAsync(timeout, time, ct);
        }
        catch (TimeoutException)
        {
            // Nothing signalled: look for due timers anyway.
        }
        finally
        {
            await timer.CancelAsync();
        }
    }
}
