namespace Notiflows.Server.Workers;

/// <summary>Wakes the workers when new work was committed on this node (other nodes hear it through LISTEN/NOTIFY).</summary>
public sealed class JobSignal
{
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);

    public void Notify() => _signal.Release();

    public async Task WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            await _signal.WaitAsync(Timeout.InfiniteTimeSpan, timer.Token).WaitAsync(timeout, time, ct);
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
