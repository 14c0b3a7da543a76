using System.Diagnostics;
using System.Globalization;

namespace Notiflows.Bench;

/// <summary>Reads memory and CPU figures from /proc (Linux only; zeros elsewhere).</summary>
internal static class ProcessStats
{
    private const double ClockTicksPerSecond = 100; // USER_HZ on Linux

    /// <summary>A field of /proc/&lt;pid&gt;/status in kB (VmRSS, VmHWM), or 0.</summary>
    public static long StatusKb(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(field, StringComparison.Ordinal) && line.Length > field.Length && line[field.Length] == ':')
                {
                    var parts = line[(field.Length + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(parts[0], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return 0;
    }

    /// <summary>utime + stime of a process in seconds, or 0 when it is gone.</summary>
    public static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // rest[0] is field 3 (state); utime is field 14, stime field 15.
            var ticks = long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture);
            return ticks / ClockTicksPerSecond;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }

    /// <summary>Pids of every process whose command name is <paramref name="comm"/> (e.g. the PostgreSQL backends).</summary>
    public static IEnumerable<int> PidsByName(string comm)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }
            string name;
            try
            {
                name = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            if (string.Equals(name, comm, StringComparison.Ordinal))
            {
                yield return pid;
            }
        }
    }

    /// <summary>Busy and total jiffies of all CPUs since boot (first line of /proc/stat).</summary>
    public static (long Busy, long Total) MachineJiffies()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var v = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
                .Select(x => long.Parse(x, CultureInfo.InvariantCulture)).ToArray();
            var total = v.Sum();
            var idle = v[3] + v[4]; // idle + iowait
            return (total - idle, total);
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }

    /// <summary>The machine's 1-minute load average (/proc/loadavg), or NaN.</summary>
    public static double LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    public static long MemTotalMb()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line[9..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
                    return kb / 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }
}

/// <summary>
/// Samples, while a scenario runs, the server's RSS and the CPU used by the server, the database (PostgreSQL
/// backends; with SQLite the database is inside the server) and this load generator.
/// </summary>
internal sealed class ResourceMeter : IAsyncDisposable
{
    private readonly int _serverPid;
    private readonly bool _postgres;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly long _start = Stopwatch.GetTimestamp();
    private readonly double _server0;
    private readonly double _bench0;
    private readonly (long Busy, long Total) _machine0 = ProcessStats.MachineJiffies();
    private readonly Dictionary<int, double> _db0 = [];
    private readonly Dictionary<int, double> _dbLast = [];

    public ResourceMeter(int serverPid, bool postgres)
    {
        _serverPid = serverPid;
        _postgres = postgres;
        _server0 = ProcessStats.CpuSeconds(serverPid);
        _bench0 = ProcessStats.CpuSeconds(Environment.ProcessId);
        if (postgres)
        {
            foreach (var pid in ProcessStats.PidsByName("postgres"))
            {
                _db0[pid] = ProcessStats.CpuSeconds(pid);
            }
        }
        _loop = LoopAsync(_stop.Token);
    }

    public ResourceFigures Figures => new(MaxRssKb / 1024.0, ServerCores, DbCores, BenchCores, MachineCores);

    public long MaxRssKb { get; private set; }
    public double ServerCores { get; private set; }
    public double DbCores { get; private set; }
    public double BenchCores { get; private set; }

    /// <summary>Cores busy on the whole machine (every process, including ones unrelated to the benchmark).</summary>
    public double MachineCores { get; private set; }

    private async Task LoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            do
            {
                Sample();
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Sample()
    {
        MaxRssKb = Math.Max(MaxRssKb, ProcessStats.StatusKb(_serverPid, "VmRSS"));
        if (_postgres)
        {
            // Backends come and go; remember the last reading of each so short-lived ones still count.
            foreach (var pid in ProcessStats.PidsByName("postgres"))
            {
                var cpu = ProcessStats.CpuSeconds(pid);
                _db0.TryAdd(pid, 0);
                _dbLast[pid] = cpu;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        Sample();
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
        var wall = Stopwatch.GetElapsedTime(_start).TotalSeconds;
        ServerCores = (ProcessStats.CpuSeconds(_serverPid) - _server0) / wall;
        BenchCores = (ProcessStats.CpuSeconds(Environment.ProcessId) - _bench0) / wall;
        var db = 0.0;
        foreach (var (pid, last) in _dbLast)
        {
            db += last - _db0.GetValueOrDefault(pid);
        }
        DbCores = db / wall;
        var (busy, total) = ProcessStats.MachineJiffies();
        MachineCores = total > _machine0.Total
            ? (double)(busy - _machine0.Busy) / (total - _machine0.Total) * Environment.ProcessorCount
            : 0;
    }
}

/// <summary>Max server RSS (MB) during a scenario; average CPU cores used by server, database, harness and the whole machine.</summary>
internal readonly record struct ResourceFigures(double MaxRssMb, double ServerCores, double DbCores, double BenchCores, double MachineCores);
