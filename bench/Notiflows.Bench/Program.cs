using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Notiflows.Bench;
using Npgsql;

Options o;
try
{
    o = Options.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Options.Usage);
    return 2;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    Console.Error.WriteLine("Interrupted: stopping the server…");
    cts.Cancel();
};
var ct = cts.Token;
var postgres = string.Equals(o.Db, "postgres", StringComparison.Ordinal);
var repo = ServerHost.FindRepoRoot();
string? benchDb = null;
NpgsqlConnectionStringBuilder? admin = null;
ServerHost? server = null;
FakeSendGrid? fake = null;
AppDomain.CurrentDomain.ProcessExit += (_, _) => server?.Dispose();
var report = new Report();
var tables = new List<(string Title, Report Table)>();
string dbDescription;
try
{
    if (!o.NoBuild)
    {
        await ServerHost.BuildAsync(repo, ct);
    }

    string? databaseUrl = null;
    if (postgres)
    {
        admin = new NpgsqlConnectionStringBuilder(o.Postgres);
        benchDb = string.Create(CultureInfo.InvariantCulture,
            $"notiflows_bench_{TimeProvider.System.GetUtcNow():yyyyMMdd_HHmmss}_{Environment.ProcessId}");
        await using (var c = new NpgsqlConnection(admin.ConnectionString))
        {
            await c.OpenAsync(ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {benchDb}", c);
            await create.ExecuteNonQueryAsync(ct);
            await using var version = new NpgsqlCommand("SHOW server_version", c);
            dbDescription = $"PostgreSQL {await version.ExecuteScalarAsync(ct)}";
        }
        databaseUrl = new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = benchDb }.ConnectionString;
        Console.WriteLine($"Created database {benchDb}");
    }
    else
    {
        await using var c = new SqliteConnection("Data Source=:memory:");
        await c.OpenAsync(ct);
        await using var v = c.CreateCommand();
        v.CommandText = "SELECT sqlite_version()";
        dbDescription = $"SQLite {await v.ExecuteScalarAsync(ct)} (WAL, synchronous=NORMAL)";
    }

    // The delivery scenario's fake provider must listen before the server starts: the server reads its URL from its env.
    fake = o.Runs("delivery") ? await FakeSendGrid.StartAsync(DeliveryScenario.Capacity(o), o.FailRate, ct) : null;
    server = await ServerHost.StartAsync(repo, databaseUrl, o.Timeout, ct, fake is null ? null : DeliveryScenario.ServerEnv(fake));
    Console.WriteLine($"Server pid {server.Pid} on {server.BaseAddress} (data {server.DataDir}, log {server.LogPath})");
    using var api = new Api(server.BaseAddress, o.Clients);
    await Engine.SetUpAsync(api, ct);
    var probe = new DbProbe(databaseUrl, Path.Combine(server.DataDir, "notiflows.db"));

    async Task Drain(string scenario)
    {
        var watch = Stopwatch.StartNew();
        var idle = await Engine.WaitIdleAsync(probe, o.Timeout, ct);
        report.Add(scenario, "engine drain after the load (s)", idle ? Report.F1(watch.Elapsed.TotalSeconds) : $"not idle after {o.Timeout.TotalSeconds:0}");
        Console.WriteLine($"  engine drained in {watch.Elapsed.TotalSeconds:0.0} s{(idle ? "" : " (timeout)")}");
    }

    if (o.Runs("trigger"))
    {
        var r = await TriggerScenario.RunAsync(api, o, server.Pid, ct);
        report.AddTrigger(r);
        Console.WriteLine($"  {r.RunsPerSecond:0} runs/s, p99 {r.Latency.P99:0.0} ms, {r.Errors} errors");
        await Drain("trigger");
    }
    if (o.Runs("fanout"))
    {
        var dbUrl = databaseUrl;
        var dataDir = server.DataDir;
        Task<BaselineResult> Baseline(string runId, CancellationToken token) => dbUrl is null
            ? Notiflows.Bench.Baseline.SqliteAsync(Path.Combine(dataDir, "notiflows.db"), runId, o.Subscribers, token)
            : Notiflows.Bench.Baseline.PostgresAsync(dbUrl, runId, o.Subscribers, token);
        var r = await FanOutScenario.RunAsync(api, probe, o, server.Pid, Baseline, ct);
        report.AddFanOut(r, postgres);
        await Drain("fanout");
    }
    if (o.Runs("e2e"))
    {
        var r = await E2eScenario.RunAsync(api, o, server.Pid, ct);
        report.AddE2e(r);
        Console.WriteLine($"  sent {r.SentRate:0} runs/s, delivery p99 {r.Delivered.P99:0.0} ms, {r.Errors} errors");
        await Drain("e2e");
    }
    if (o.Runs("lists"))
    {
        var r = await ListsScenario.RunAsync(api, probe, o, databaseUrl, Path.Combine(server.DataDir, "notiflows.db"), server.Pid, ct);
        report.AddLists(r, postgres);
        var (latency, indexes) = Report.ListTables(r, o.ListClients, postgres);
        tables.Add(($"Admin list latency — {r.Seed.Notifications:#,0} notifications, {r.Users:#,0} users, {o.ListRequests} requests per kind and pass", latency));
        if (indexes is not null)
        {
            tables.Add(("Index use during each request kind (pg_stat_user_indexes / pg_stat_user_tables deltas ÷ requests, incl. warm-up)", indexes));
        }
    }
    if (o.Runs("realtime"))
    {
        var r = await RealtimeScenario.RunAsync(api, o, server.BaseAddress, server.Pid, ct);
        report.AddRealtime(r);
        Console.WriteLine($"  {r.Received:#,0} of {r.Accepted:#,0} events, p99 {r.Event.P99:0.0} ms, {r.Missing} missing, {r.Errors} errors");
        await Drain("realtime");
    }
    if (o.Runs("delivery") && fake is not null)
    {
        var r = await DeliveryScenario.RunAsync(api, probe, fake, o, server.Pid, ct);
        report.AddDelivery(r);
        Console.WriteLine($"  {r.Load.Accepted:#,0} runs, run → provider p99 {r.ToProvider.P99:0.0} ms, drain {r.DrainSeconds:0.0} s, "
            + $"{r.Missing} missing, {r.Duplicates} duplicates, {r.Load.Errors} errors");
        await Drain("delivery");
    }
    report.Add("server", "peak RSS, VmHWM (MB)", Report.F0(server.PeakRssKb() / 1024.0), "≤ 300", server.PeakRssKb() <= 300 * 1024);
}
catch (OperationCanceledException) when (ct.IsCancellationRequested)
{
    Console.Error.WriteLine("Cancelled.");
    return 130;
}
finally
{
    if (server is not null && server.HasExited)
    {
        Console.Error.WriteLine($"The server exited during the run; see {server.LogPath}");
    }
    server?.Dispose();
    if (fake is not null)
    {
        await fake.DisposeAsync();
    }
    if (server is not null && !o.KeepData)
    {
        try
        {
            Directory.Delete(server.DataDir, recursive: true);
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"could not delete {server.DataDir}: {e.Message}");
        }
    }
    if (benchDb is not null && admin is not null && !o.KeepData)
    {
        try
        {
            await using var c = new NpgsqlConnection(admin.ConnectionString);
            await c.OpenAsync(CancellationToken.None);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {benchDb} WITH (FORCE)", c);
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException e)
        {
            Console.Error.WriteLine($"could not drop {benchDb}: {e.Message}");
        }
    }
}

var text = report.ToText();
Console.WriteLine();
Console.WriteLine($"Notiflows benchmark — {dbDescription}, {Environment.ProcessorCount} cores, {ProcessStats.MemTotalMb():#,0} MB");
Console.WriteLine(text);
foreach (var (title, table) in tables)
{
    Console.WriteLine(title);
    Console.WriteLine();
    Console.WriteLine(table.ToText());
}
if (o.Markdown is not null)
{
    var commandLine = "dotnet run --project bench/Notiflows.Bench -c Release --"
        + string.Concat(o.Raw.Select(a => " " + (a.Contains(' ', StringComparison.Ordinal) || a.Contains(';', StringComparison.Ordinal) ? $"\"{a}\"" : a)));
    commandLine = Regex.Replace(commandLine, "(Password|Pwd)=[^;\"]*", "$1=***", RegexOptions.IgnoreCase);
    var md = new StringBuilder()
        .AppendLine(CultureInfo.InvariantCulture, $"### {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC — {dbDescription}")
        .AppendLine()
        .AppendLine(CultureInfo.InvariantCulture,
            $"Machine: {Environment.ProcessorCount} cores (nproc), {ProcessStats.MemTotalMb():#,0} MB RAM, {Environment.OSVersion}, .NET {Environment.Version}")
        .AppendLine()
        .AppendLine("```")
        .AppendLine(commandLine)
        .AppendLine("```")
        .AppendLine()
        .Append(report.ToMarkdown())
        .AppendLine();
    foreach (var (title, table) in tables)
    {
        md.AppendLine(CultureInfo.InvariantCulture, $"{title}:").AppendLine().Append(table.ToMarkdown()).AppendLine();
    }
    await File.AppendAllTextAsync(o.Markdown, md.ToString(), CancellationToken.None);
    Console.WriteLine($"Appended to {o.Markdown}");
}
return 0;
