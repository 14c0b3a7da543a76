using System.Globalization;
using System.Text;

namespace Notiflows.Bench;

/// <summary>The result table: printed aligned on the console and, with --markdown, appended as Markdown.</summary>
internal sealed class Report
{
    private readonly List<string[]> _rows = [];
    private static readonly string[] Header = ["Scenario", "Figure", "Value", "Target", "Met"];

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

    private void AddResources(string scenario, ResourceFigures f)
    {
        Add(scenario, "CPU cores: server / database / harness / whole machine",
            $"{F2(f.ServerCores)} / {F2(f.DbCores)} / {F2(f.BenchCores)} / {F2(f.MachineCores)} of {Environment.ProcessorCount}");
        Add(scenario, "server max RSS (MB)", F0(f.MaxRssMb));
    }

    public string ToText()
    {
        var widths = Enumerable.Range(0, Header.Length).Select(i => _rows.Append(Header).Max(r => r[i].Length)).ToArray();
        var sb = new StringBuilder();
        void Line(string[] cells) => sb.AppendLine(string.Join("  ", cells.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        Line(Header);
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
        sb.AppendLine("| " + string.Join(" | ", Header) + " |");
        sb.AppendLine("|" + string.Concat(Enumerable.Repeat("---|", Header.Length)));
        foreach (var r in _rows)
        {
            sb.AppendLine("| " + string.Join(" | ", r.Select(c => c.Replace("|", "\\|", StringComparison.Ordinal))) + " |");
        }
        return sb.ToString();
    }
}
