namespace Notiflows.Server.Workers;

/// <summary>
/// Runs due jobs until none is left (the test hook of CONVENTIONS.md): with a fake clock, advancing time then draining
/// makes a one-day wait pass instantly and deterministically.
/// </summary>
public sealed class JobDrain(JobProcessor processor)
{
    public async Task<int> RunUntilQuietAsync(CancellationToken ct)
    {
        var total = 0;
        int claimed;
        while ((claimed = await processor.RunOnceAsync(256, ct)) > 0)
        {
            total += claimed;
        }
        return total;
    }
}
