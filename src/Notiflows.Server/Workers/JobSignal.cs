namespace Notiflows.Server.Workers;

/// <summary>
/// Wakes the workers when new work was committed on this node (other nodes hear it through LISTEN/NOTIFY): one wake-up
/// for an engine loop and one for the delivery loop, since either kind of job may have become due.
/// </summary>
public sealed class JobSignal
{
    private readonly SemaphoreSlim _engine = new(0, int.MaxValue);
    private readonly SemaphoreSlim _deliveries = new(0, int.MaxValue);

    public void Notify()
    {
        _engine.Release();
        _deliveries.Release();
    }

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
