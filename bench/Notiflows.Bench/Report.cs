using System.Globalization;
using System.Text;

namespace Notiflows.Bench;

/// <summary>The result table: printed aligned on the console and, with --markdown, appended as Markdown.</summary>
internal sealed class Report(params string[] header)
{
    private readonly List<string[]> _rows = [];
    private readonly string[] _header = header.Length > 0 ? header : ["Scenario", "Figure", "Value", "Target", "Met"];

    public bool IsEmpty => _rows.Count == 0;

    /// <summary>A row of a table with its own header (the first cell repeats are blanked like the scenario column).</summary>
    public void AddRow(params string[] cells) => _rows.Add(cells);

    public static string F0(double v) => double.IsNaN(v) ? "n/a" : v.ToString("#,0", CultureInfo.InvariantCulture);
    public static string F1(double v) => double.IsNaN(v) ? "n/a" : v.ToString("#,0.0", CultureInfo.InvariantCulture);
    public static string F2(double v) => double.IsNaN(v) ? "n/a" : v.ToString("0.00", CultureInfo.InvariantCulture);

    public void Add(string scenario, string figure, string value, string target = "", bool? met = null) =>
        _rows.Add([scenario, figure, value, target, met switch { true => "yes", false => "NO", null => "" }]);

    public void AddTrigger(TriggerResult r)
    {
        Add("trigger", "runs accepted / s", F0(r.RunsPerSecond), "≥ 5,000", r.RunsPerSecond >= 5000);
        Add("trigger", "202 latency p50 / p95 / p99 (ms)", $"{F1(r.Latency.P50)} / {F1(r.Latency.P95)} / {F1(r.Latency.P99)}",
            "p99 ≤ 50", r.Latency.P99 <= 50);
        Add("trigger", "accepted / errors (non-202)", $"{F0(r.Accepted)} / {F0(r.Errors)}" + (r.FirstError is null ? "" : $" ({r.FirstError})"),
            "0 errors", r.Errors == 0);
        AddResources("trigger", r.Resources);
    }

    public void AddFanOut(FanOutResult r, bool postgres)
    {
        Add("fanout", "subscribers / set-up time (s)", $"{F0(r.Subscribers)} / {F1(r.SetupSeconds)}");
        Add("fanout", "run status / time from 202 (s)", $"{r.Status} / {F1(r.Seconds)}" + (r.Completed ? "" : $" — reached {F0(r.Reached)}"),
            "completed", r.Completed);
        Add("fanout", "recipients / s", F0(r.RecipientsPerSecond), postgres ? "≥ 50,000" : "", postgres ? r.RecipientsPerSecond >= 50_000 : null);
        if (r.Baseline is { } b)
        {
            Add("fanout", "baseline: notification+delivery rows / s", F0(b.RowsPerSecond));
            Add("fanout", "baseline ÷ fan-out (slowdown)", r.Slowdown is { } s ? F1(s) + "×" : "n/a", "≤ 4×", r.Slowdown <= 4);
        }
        if (r.Error is not null)
        {
            Add("fanout", "error", r.Error);
        }
        AddResources("fanout", r.Resources);
    }

    public void AddE2e(E2eResult r)
    {
        Add("e2e", "runs / s target / sent", $"{F0(r.TargetRate)} / {F0(r.SentRate)}");
        Add("e2e", "send → delivery sent p50 / p95 / p99 (ms)", $"{F1(r.Delivered.P50)} / {F1(r.Delivered.P95)} / {F1(r.Delivered.P99)}",
            "p99 ≤ 50", r.Delivered.P99 <= 50);
        Add("e2e", "samples followed / timed out", $"{F0(r.Samples)} / {F0(r.SamplesTimedOut)}", "0 timed out", r.SamplesTimedOut == 0);
        Add("e2e", "202 latency p50 / p99 (ms)", $"{F1(r.Accept.P50)} / {F1(r.Accept.P99)}");
        Add("e2e", "accepted / errors / skipped", $"{F0(r.Accepted)} / {F0(r.Errors)} / {F0(r.Skipped)}"
            + (r.FirstError is null ? "" : $" ({r.FirstError})"), "0 errors", r.Errors == 0 && r.Skipped == 0);
        AddResources("e2e", r.Resources);
    }

    public const double RealtimeTargetMs = 100;

    public void AddRealtime(RealtimeResult r)
    {
        const string s = "realtime";
        Add(s, "users / clients connected and subscribed", $"{F0(r.Clients)} / {F0(r.Connected)}" + (r.ConnectError is null ? "" : $" ({r.ConnectError})"),
            "all", r.Connected == r.Clients);
        Add(s, "connect + subscribe: all clients (s) / per client p50 / p99 (ms)",
            $"{F1(r.ConnectSeconds)} / {F1(r.Connect.P50)} / {F1(r.Connect.P99)}");
        Add(s, "server RSS before the clients / with them idle (MB)", $"{F0(r.RssBeforeKb / 1024.0)} / {F0(r.RssIdleKb / 1024.0)}");
        Add(s, "memory per idle connection: RSS delta ÷ clients (kB)", F1(r.KbPerConnection));
        Add(s, "runs / s target / sent", $"{F0(r.TargetRate)} / {F0(r.SentRate)}");
        Add(s, "run request → delivery.created at the client p50 / p95 / p99 / max (ms)",
            $"{F1(r.Event.P50)} / {F1(r.Event.P95)} / {F1(r.Event.P99)} / {F1(r.Event.Max)}", $"p99 ≤ {RealtimeTargetMs:0}", r.Event.P99 <= RealtimeTargetMs);
        Add(s, "202 read → delivery.created at the client p50 / p95 / p99 / max (ms)",
            $"{F1(r.EventAfterAccept.P50)} / {F1(r.EventAfterAccept.P95)} / {F1(r.EventAfterAccept.P99)} / {F1(r.EventAfterAccept.Max)}");
        Add(s, "events received / runs accepted", $"{F0(r.Received)} / {F0(r.Accepted)}", "all", r.Received == r.Accepted && r.Accepted > 0);
        Add(s, "missing / duplicate / to the wrong client / unknown run", $"{F0(r.Missing)} / {F0(r.Duplicates)} / {F0(r.Misrouted)} / {F0(r.Unexpected)}",
            "0 / 0 / 0 / 0", r.Missing + r.Duplicates + r.Misrouted + r.Unexpected == 0);
        Add(s, "clients closed by the server during the run", F0(r.EndedEarly) + (r.FirstEnded is null ? "" : $" ({r.FirstEnded})"), "0", r.EndedEarly == 0);
        Add(s, "wait for the last events after the load (s)", F1(r.WaitSeconds));
        Add(s, "202 latency p50 / p99 (ms)", $"{F1(r.Accept.P50)} / {F1(r.Accept.P99)}");
        Add(s, "errors (non-202) / skipped", $"{F0(r.Errors)} / {F0(r.Skipped)}" + (r.FirstError is null ? "" : $" ({r.FirstError})"),
            "0", r.Errors == 0 && r.Skipped == 0);
        AddResources(s, r.Resources);
        Add(s, "machine load average (1 min) at the end of the load", F2(r.LoadAverage));
    }

    public void AddDelivery(DeliveryResult r)
    {
        const string s = "delivery";
        string P(Percentiles p) => $"{F1(p.P50)} / {F1(p.P95)} / {F1(p.P99)} / {F1(p.Max)}";
        var load = r.Load;
        Add(s, "runs / s target / sent (warm-up runs before)", $"{F0(r.TargetRate)} / {F0(load.SentRate)} ({F0(r.WarmupRuns)})");
        Add(s, "run request → provider received p50 / p95 / p99 / max (ms)", P(r.ToProvider));
        Add(s, "202 read → provider received p50 / p95 / p99 / max (ms)", P(r.AfterAccept));
        Add(s, "provider requests / s during the load / until every delivery sent", $"{F0(r.ProviderRateDuringLoad)} / {F0(r.ProviderRateOverall)}");
        Add(s, "drain: load end → every delivery settled (s)", r.DrainSeconds is { } d ? F1(d) : "timeout", "", r.DrainSeconds is not null);
        Add(s, "deliveries by status (warm-up included)", r.Statuses, "all sent", r.AllSent);
        Add(s, "provider requests / first ones answered 503 (--fail-rate " + F2(r.FailRate) + ")", $"{F0(r.Requests)} / {F0(r.Answered503)}");
        if (r.FailRate > 0)
        {
            Add(s, "runs retried (503 first) / then accepted by the provider", $"{F0(r.Retried)} / {F0(r.RetriedAccepted)}");
        }
        Add(s, "missing / duplicate / rejected requests / unknown run", $"{F0(r.Missing)} / {F0(r.Duplicates)} / {F0(r.Rejected)} / {F0(r.Unexpected)}",
            "0 / 0 / 0 / 0", r.Missing + r.Duplicates + r.Rejected + r.Unexpected == 0);
        var accept = Latencies.Summarise([load.Accept]);
        Add(s, "202 latency p50 / p99 (ms)", $"{F1(accept.P50)} / {F1(accept.P99)}");
        Add(s, "accepted / errors (non-202) / skipped", $"{F0(load.Accepted)} / {F0(load.Errors)} / {F0(load.Skipped)}"
            + (load.FirstError is null ? "" : $" ({load.FirstError})"), "0 errors", load.Errors == 0 && load.Skipped == 0);
        AddResources(s, r.Resources);
    }

    public const double ListTargetMs = 20;

    public void AddLists(ListsResult r, bool postgres)
    {
        var seed = r.Seed;
        Add("lists", "users created through the API / time (s)", $"{F0(r.Users)} / {F1(r.UsersSeconds)}");
        Add("lists", "seeded notifications (+1 delivery each) / runs", $"{F0(seed.Notifications)} / {F0(seed.Runs)}");
        Add("lists", "seeding time (s) / notification+delivery pairs per s", $"{F1(seed.Seconds)} / {F0(seed.Notifications / seed.Seconds)}");
        Add("lists", "ANALYZE after seeding (s)", double.IsNaN(seed.AnalyzeSeconds) ? "skipped (--no-analyze)" : F1(seed.AnalyzeSeconds));
        var measured = r.Kinds.Where(k => k.Single.Count > 0).ToList();
        var missing = r.Kinds.Where(k => k.Single.Count == 0).Select(k => k.Name).ToList();
        Add("lists", "request kinds measured / failing", $"{measured.Count} / {missing.Count}" + (missing.Count == 0 ? "" : $" ({string.Join(", ", missing)})"),
            "0 failing", missing.Count == 0);
        if (measured.Count > 0)
        {
            var worst = measured.MaxBy(k => k.Single.P99)!;
            Add("lists", "worst p99 with 1 client (ms)", $"{F1(worst.Single.P99)} ({worst.Name})", $"≤ {ListTargetMs:0}", worst.Single.P99 <= ListTargetMs);
        }
        var errors = r.Kinds.Sum(k => k.Errors);
        Add("lists", "requests / errors (non-200)", $"{F0(r.Kinds.Sum(k => k.Requests))} / {F0(errors)}", "0 errors", errors == 0);
        if (postgres)
        {
            var seq = r.Kinds.Where(k => k.SeqScans is not null).Select(k => k.Name).ToList();
            Add("lists", "kinds with a seq scan on notifications/deliveries/users/runs", seq.Count == 0 ? "none" : string.Join(", ", seq),
                "none", seq.Count == 0);
        }
        AddResources("lists", r.Resources);
    }

    /// <summary>The per-request table of the lists scenario and, on PostgreSQL, the index-use table.</summary>
    public static (Report Latency, Report? Indexes) ListTables(ListsResult r, int clients, bool postgres)
    {
        var latency = new Report("Request (limit=25)", "items/page", "1 client p50 / p95 / p99 (ms)",
            $"{clients} clients p50 / p95 / p99 (ms)", $"req/s ({clients} clients)", "errors", $"p99 ≤ {ListTargetMs:0}");
        string P(Percentiles p) => p.Count == 0 ? "—" : $"{F1(p.P50)} / {F1(p.P95)} / {F1(p.P99)}";
        foreach (var k in r.Kinds)
        {
            latency.AddRow(k.Name, k.Single.Count == 0 ? "—" : F1(k.ItemsPerPage), P(k.Single), P(k.Multi), k.Single.Count == 0 ? "—" : F0(k.MultiRate),
                F0(k.Errors) + (k.FirstError is null ? "" : $" ({k.FirstError})"),
                k.Single.Count == 0 ? "NO" : k.Single.P99 <= ListTargetMs ? "yes" : "NO");
        }
        if (!postgres)
        {
            return (latency, null);
        }
        var indexes = new Report("Request", "index scans per request (tuples read per request)", "seq scans per request (rows read)");
        foreach (var k in r.Kinds.Where(k => k.IndexUse is not null))
        {
            indexes.AddRow(k.Name, k.IndexUse!, k.SeqScans is null ? "none" : "SEQ SCAN: " + k.SeqScans);
        }
        return (latency, indexes);
    }

    private void AddResources(string scenario, ResourceFigures f)
    {
        Add(scenario, "CPU cores: server / database / harness / whole machine",
            $"{F2(f.ServerCores)} / {F2(f.DbCores)} / {F2(f.BenchCores)} / {F2(f.MachineCores)} of {Environment.ProcessorCount}");
        Add(scenario, "server max RSS (MB)", F0(f.MaxRssMb));
    }

    public string ToText()
    {
        var widths = Enumerable.Range(0, _header.Length).Select(i => _rows.Append(_header).Max(r => r[i].Length)).ToArray();
        var sb = new StringBuilder();
        void Line(string[] cells) => sb.AppendLine(string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        Line(_header);
        Line(widths.Select(w => new string('-', w)).ToArray());
        string? last = null;
        foreach (var r in _rows)
        {
            Line(string.Equals(r[0], last, StringComparison.Ordinal) ? ["", .. r[1..]] : r);
            last = r[0];
        }
        return sb.ToString();
    }

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("| " + string.Join(" | ", _header) + " |");
        sb.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", _header.Length)));
        foreach (var r in _rows)
        {
            sb.AppendLine("| " + string.Join(" | ", r.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
        }
        return sb.ToString();
    }
}
