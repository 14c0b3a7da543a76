using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Notiflows.Bench;

/// <summary>One kind of list request: a label and the path of its i-th request (parameters drawn from the seeded data).</summary>
internal sealed record ListKind(string Name, Func<Random, string> Path);

/// <summary>Figures of one request kind: 1 client, then <c>--list-clients</c> clients; PostgreSQL index and seq-scan deltas.</summary>
internal sealed record ListFigures(
    string Name, Percentiles Single, Percentiles Multi, double MultiRate, double ItemsPerPage, long Requests, long Errors, string? FirstError,
    string? IndexUse, string? SeqScans);

internal sealed record ListsResult(int Users, double UsersSeconds, SeedResult Seed, IReadOnlyList<ListFigures> Kinds, ResourceFigures Resources);

/// <summary>
/// Admin list latency over a large history: notifications and deliveries seeded straight into the database, then every list
/// request kind of §6.1/§6.6/§6.7/§6.8 measured with one client and with several.
/// </summary>
internal static class ListsScenario
{
    private const int WarmUp = 10;
    private const string UserPrefix = "lu";
    private static readonly string[] Tables = ["notifications", "deliveries", "users", "runs"];

    /// <summary>The notiflows whose history is seeded: one channel step each; weights are shares of the notifications.</summary>
    private static readonly (string Handle, string Step, string Type, string Channel, string Topic, double Weight, string Template)[] Flows =
    [
        ("lists-comments", "inbox", "in_app", "in-app", "comments", 0.35, """{"body": "**{{ recipient.first_name }}**, you have a new comment"}"""),
        ("lists-mentions", "inbox", "in_app", "in-app", "mentions", 0.25, """{"body": "You were mentioned in {{ data.doc_title }}"}"""),
        ("lists-receipts", "email", "email", "email-sandbox", "billing", 0.30,
            """{"subject": "Your receipt, {{ recipient.first_name }}", "body": "<p>Thanks for your order.</p>", "content_type": "html"}"""),
        ("lists-alerts", "sms", "sms", "sms-sandbox", "security", 0.10, """{"body": "{{ recipient.first_name }}, a new sign-in was detected."}"""),
    ];

    public static async Task<ListsResult> RunAsync(Api api, DbProbe probe, Options o, string? postgres, string sqlitePath, int serverPid, CancellationToken ct)
    {
        Console.WriteLine($"lists: {Flows.Length} notiflows, {o.ListUsers:#,0} users, {o.Notifications:#,0} notifications over {ListSeed.Days} days");
        var flows = await SetUpNotiflowsAsync(api, probe, ct);
        var watch = Stopwatch.StartNew();
        var users = await CreateUsersAsync(api, o, ct);
        var usersSeconds = watch.Elapsed.TotalSeconds;
        Console.WriteLine($"  {users.Count:#,0} users created through the API in {usersSeconds:0.0} s; seeding…");
        var seed = await ListSeed.SeedAsync(postgres, sqlitePath, flows.ProjectId, flows.Notiflows, users, o.Notifications, o.Analyze, ct);
        Console.WriteLine($"  seeded {seed.Notifications:#,0} notifications + deliveries, {seed.Runs:#,0} runs in {seed.Seconds:0.0} s"
            + (o.Analyze ? $"; ANALYZE {seed.AnalyzeSeconds:0.0} s" : ""));

        var kinds = await KindsAsync(api, flows, users, seed, ct);
        var meter = new ResourceMeter(serverPid, probe.Postgres);
        var figures = new List<ListFigures>();
        var stats = probe.Postgres ? await PgStats.SettledAsync(probe, ct) : null;
        foreach (var kind in kinds)
        {
            var f = await MeasureAsync(api, probe, kind, o, stats, ct);
            figures.Add(f);
            Console.WriteLine($"  {f.Name}: p99 {f.Single.P99:0.0} ms (1 client), {f.Multi.P99:0.0} ms ({o.ListClients} clients), "
                + $"{f.ItemsPerPage:0.#} items/page, {f.Errors} errors{(f.SeqScans is null ? "" : $", SEQ SCAN {f.SeqScans}")}");
        }
        await meter.DisposeAsync();
        return new ListsResult(users.Count, usersSeconds, seed, figures, meter.Figures);
    }

    private sealed record FlowSet(Guid ProjectId, IReadOnlyList<SeedNotiflow> Notiflows);

    private static async Task<FlowSet> SetUpNotiflowsAsync(Api api, DbProbe probe, CancellationToken ct)
    {
        foreach (var f in Flows)
        {
            var body = $$$"""
                {"name": "{{{f.Handle}}}", "steps": [
                  {"handle": "trigger", "position": 0, "type": "trigger"},
                  {"handle": "{{{f.Step}}}", "position": 1, "type": "channel", "channel_type": "{{{f.Type}}}", "template": {"data": {{{f.Template}}}}},
                  {"handle": "end", "position": 2, "type": "end"}]}
                """;
            (await api.ExpectAsync(HttpMethod.Put, $"management/v1/notiflows/{f.Handle}", body, ct, management: true)).Dispose();
            (await api.ExpectAsync(HttpMethod.Post, $"management/v1/notiflows/{f.Handle}/publish", null, ct, management: true)).Dispose();
        }
        await using var c = await probe.OpenAsync(ct);
        var notiflows = await QueryAsync(c, "SELECT handle, id, published_version_id, project_id FROM notiflows",
            r => (Handle: r.GetString(0), Id: Uuid(r, 1), Version: Uuid(r, 2), Project: Uuid(r, 3)), ct);
        var channels = await QueryAsync(c, "SELECT handle, id FROM channels", r => (Handle: r.GetString(0), Id: Uuid(r, 1)), ct);
        var seedFlows = Flows.Select(f =>
        {
            var n = notiflows.Single(x => x.Handle == f.Handle);
            return new SeedNotiflow(f.Handle, n.Id, n.Version, f.Step, f.Type, channels.Single(x => x.Handle == f.Channel).Id, f.Topic, f.Weight);
        }).ToList();
        return new FlowSet(notiflows.Single(x => x.Handle == Flows[0].Handle).Project, seedFlows);
    }

    private static Guid Uuid(DbDataReader r, int i) => r.GetValue(i) switch { Guid g => g, var v => Guid.Parse((string)v) };

    private static async Task<List<T>> QueryAsync<T>(DbConnection c, string sql, Func<DbDataReader, T> map, CancellationToken ct)
    {
        await using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<T>();
        while (await r.ReadAsync(ct))
        {
            list.Add(map(r));
        }
        return list;
    }

    /// <summary>Users through <c>PUT /admin/v1/users/{id}</c> (8 in flight), so their rows are exactly what the server writes.</summary>
    private static async Task<IReadOnlyList<SeedUser>> CreateUsersAsync(Api api, Options o, CancellationToken ct)
    {
        var users = new SeedUser[o.ListUsers];
        string[] names = ["Jane", "Ahmed", "Mei", "Olga", "Kwame", "Lucía", "Ravi", "Noah"];
        await Parallel.ForEachAsync(Enumerable.Range(0, o.ListUsers), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (i, token) =>
            {
                var (ext, first) = (UserPrefix + i.ToString(CultureInfo.InvariantCulture), names[i % names.Length]);
                var (email, phone) = ($"{ext}@example.com", "+1555" + (1_000_000 + i).ToString(CultureInfo.InvariantCulture));
                var body = $$$"""
                    {"email": "{{{email}}}", "phone": "{{{phone}}}", "first_name": "{{{first}}}", "last_name": "Doe", "locale": "en-US",
                     "timezone": "Europe/Berlin", "custom_fields": {"plan": "{{{(i % 3 == 0 ? "premium" : "free")}}}", "company": "Acme {{{i % 97}}}"}}
                    """;
                using var doc = await api.ExpectAsync(HttpMethod.Put, $"admin/v1/users/{ext}", body, token);
                users[i] = new SeedUser(Guid.Parse(doc.RootElement.Str("id")!), ext, email, phone, first);
            });
        return users;
    }

    /// <summary>The request kinds, in the order they are measured. Deep pages start at a cursor found by walking 10 pages of 1,000.</summary>
    private static async Task<List<ListKind>> KindsAsync(Api api, FlowSet flows, IReadOnlyList<SeedUser> users, SeedResult seed, CancellationToken ct)
    {
        var mid = seed.From + ((seed.To - seed.From) / 2);
        string Ts(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var window = $"created_after={Ts(mid.AddHours(-12))}&created_before={Ts(mid.AddHours(12))}";
        var sms = flows.Notiflows.Single(f => f.ChannelType == "sms").ChannelId;
        string User(Random r) => users[r.Next(users.Count)].ExternalId;
        (Guid Notification, Guid Run) Sample(Random r) => seed.Samples[r.Next(seed.Samples.Count)];
        var (notificationsDeep, notificationsDepth) = await DeepCursorAsync(api, "admin/v1/notifications", ct);
        var (runsDeep, runsDepth) = await DeepCursorAsync(api, "admin/v1/runs", ct);
        const string n = "admin/v1/notifications?limit=25", d = "admin/v1/deliveries?limit=25";
        return
        [
            new("GET /notifications", _ => n),
            new($"GET /notifications deep page (after {notificationsDepth:#,0})", _ => $"{n}&after={notificationsDeep}"),
            new("GET /notifications?status=failed", _ => $"{n}&status=failed"),
            new("GET /notifications?topic=billing", _ => $"{n}&topic=billing"),
            new("GET /notifications?created_after&created_before (1 day)", _ => $"{n}&{window}"),
            new("GET /notifications?notiflow=lists-alerts", _ => $"{n}&notiflow=lists-alerts"),
            new("GET /notifications?recipient=<user>", r => $"{n}&recipient={User(r)}"),
            new("GET /deliveries", _ => d),
            new("GET /deliveries?status=failed", _ => $"{d}&status=failed"),
            new("GET /deliveries?channel_type=email", _ => $"{d}&channel_type=email"),
            new("GET /deliveries?channel_id=<sms-sandbox>", _ => $"{d}&channel_id={sms}"),
            new("GET /deliveries?topic=security", _ => $"{d}&topic=security"),
            new("GET /users", _ => "admin/v1/users?limit=25"),
            new("GET /users/{id}/notifications", r => $"admin/v1/users/{User(r)}/notifications?limit=25"),
            new("GET /notifications/{id}/deliveries", r => $"admin/v1/notifications/{Sample(r).Notification}/deliveries?limit=25"),
            new("GET /notifications/{id}", r => $"admin/v1/notifications/{Sample(r).Notification}"),
            new("GET /runs", _ => "admin/v1/runs?limit=25"),
            new($"GET /runs deep page (after {runsDepth:#,0})", _ => $"admin/v1/runs?limit=25&after={runsDeep}"),
            new("GET /runs?notiflow=lists-alerts", _ => "admin/v1/runs?limit=25&notiflow=lists-alerts"),
            new("GET /runs/{id}/notifications", r => $"admin/v1/runs/{Sample(r).Run}/notifications?limit=25"),
        ];
    }

    /// <summary>
    /// The <c>page.after</c> cursor after walking up to 10 pages of 1,000 items (stopping before the last page) and how many items
    /// lie before it; "unavailable" when the list does not answer 200.
    /// </summary>
    private static async Task<(string Cursor, int Depth)> DeepCursorAsync(Api api, string list, CancellationToken ct)
    {
        string? after = null;
        var depth = 0;
        for (var i = 0; i < 10; i++)
        {
            var (status, doc) = await api.SendAsync(HttpMethod.Get, $"{list}?limit=1000{(after is null ? "" : "&after=" + after)}", null, ct);
            using (doc)
            {
                if (status != HttpStatusCode.OK || doc is null)
                {
                    break;
                }
                var page = doc.RootElement.GetProperty("page");
                var next = page.Str("after");
                if (next is null || !page.GetProperty("has_more_after").GetBoolean())
                {
                    break;
                }
                after = next;
                depth += doc.RootElement.GetProperty("items").GetArrayLength();
            }
        }
        return (after ?? "unavailable", depth);
    }

    private sealed class Pass
    {
        public Latencies Latencies { get; } = new();
        public long Items;
        public long Ok;
        public long Errors;
        public string? FirstError;
    }

    private static async Task<ListFigures> MeasureAsync(
        Api api, DbProbe probe, ListKind kind, Options o, Dictionary<string, (long Scans, long Tuples)>? stats, CancellationToken ct)
    {
        var warm = new Pass();
        var random = new Random(kind.Name.Length);
        await RunPassAsync(api, kind, 1, WarmUp, warm, random, ct);
        if (warm.Ok == 0)
        {
            // The endpoint is missing or broken: one error row, no measurement.
            return new ListFigures(kind.Name, Latencies.Summarise([]), Latencies.Summarise([]), 0, 0, warm.Errors, warm.Errors, warm.FirstError, null, null);
        }
        var single = new Pass();
        await RunPassAsync(api, kind, 1, o.ListRequests, single, random, ct);
        var multi = new Pass();
        var start = Stopwatch.GetTimestamp();
        await RunPassAsync(api, kind, o.ListClients, o.ListRequests, multi, random, ct);
        var rate = multi.Ok / Stopwatch.GetElapsedTime(start).TotalSeconds;
        string? indexUse = null, seqScans = null;
        if (stats is not null)
        {
            var after = await PgStats.SettledAsync(probe, ct);
            (indexUse, seqScans) = PgStats.Describe(stats, after, WarmUp + (2 * o.ListRequests));
            stats.Clear();
            foreach (var (key, value) in after)
            {
                stats[key] = value;
            }
        }
        var requests = single.Ok + single.Errors + multi.Ok + multi.Errors;
        return new ListFigures(kind.Name, Latencies.Summarise([single.Latencies]), Latencies.Summarise([multi.Latencies]), rate,
            (double)(single.Items + multi.Items) / Math.Max(1, single.Ok + multi.Ok), requests, single.Errors + multi.Errors,
            single.FirstError ?? multi.FirstError, indexUse, seqScans);
    }

    /// <summary><paramref name="total"/> requests spread over <paramref name="clients"/> closed-loop clients.</summary>
    private static async Task RunPassAsync(Api api, ListKind kind, int clients, int total, Pass pass, Random random, CancellationToken ct)
    {
        var paths = Enumerable.Range(0, total).Select(_ => kind.Path(random)).ToArray();
        var next = -1;
        async Task Client()
        {
            var lat = new Latencies();
            int i;
            while ((i = Interlocked.Increment(ref next)) < paths.Length)
            {
                var t0 = Stopwatch.GetTimestamp();
                HttpStatusCode status;
                byte[] body = [];
                try
                {
                    (status, body) = await api.GetBytesAsync(paths[i], ct);
                }
                catch (HttpRequestException e)
                {
                    status = 0;
                    Interlocked.CompareExchange(ref pass.FirstError, e.Message, null);
                }
                var ticks = Stopwatch.GetTimestamp() - t0;
                if (status != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref pass.Errors);
                    Interlocked.CompareExchange(ref pass.FirstError, $"HTTP {(int)status} {ErrorText(body)}".TrimEnd(), null);
                    continue;
                }
                lat.Add(ticks);
                Interlocked.Increment(ref pass.Ok);
                Interlocked.Add(ref pass.Items, Items(body));
            }
            lock (pass)
            {
                pass.Latencies.Merge(lat);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(Client, ct)));
    }

    private static int Items(byte[] body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.TryGetProperty("items", out var items) ? items.GetArrayLength() : 1;
    }

    private static string ErrorText(byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var e = doc.RootElement.TryGetProperty("error", out var inner) ? inner : doc.RootElement;
            return e.Str("code") ?? e.Str("message") ?? "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    /// <summary>
    /// Cumulative scan counters of the tables the lists read (<c>pg_stat_user_indexes</c>, <c>pg_stat_user_tables</c>). A backend
    /// publishes its counters when it goes idle, but at most once a second; counters held back that way wait for the idle
    /// timeout of 10 s (PostgreSQL 15: PGSTAT_MIN_INTERVAL, PGSTAT_IDLE_INTERVAL). So a snapshot waits 10.5 s after the load and
    /// then until a reading 1 s later agrees: that costs ~12 s per request kind on PostgreSQL, and keeps a kind's scans from
    /// being counted under the next one.
    /// </summary>
    private static class PgStats
    {
        public static async Task<Dictionary<string, (long Scans, long Tuples)>> SettledAsync(DbProbe probe, CancellationToken ct)
        {
            await Task.Delay(10_500, ct);
            var last = await ReadAsync(probe, ct);
            for (var i = 0; i < 30; i++)
            {
                await Task.Delay(1000, ct);
                var now = await ReadAsync(probe, ct);
                if (now.Count == last.Count && now.All(kv => last.TryGetValue(kv.Key, out var v) && v == kv.Value))
                {
                    return now;
                }
                last = now;
            }
            return last;
        }

        private static async Task<Dictionary<string, (long, long)>> ReadAsync(DbProbe probe, CancellationToken ct)
        {
            await using var c = await probe.OpenAsync(ct);
            var tables = string.Join(", ", Tables.Select(t => $"'{t}'"));
            var rows = await QueryAsync(c, $"""
                SELECT indexrelname, idx_scan, idx_tup_read FROM pg_stat_user_indexes WHERE relname IN ({tables})
                UNION ALL
                SELECT 'seq scan ' || relname, seq_scan, seq_tup_read FROM pg_stat_user_tables WHERE relname IN ({tables})
                """, r => (r.GetString(0), r.GetInt64(1), r.GetInt64(2)), ct);
            return rows.ToDictionary(x => x.Item1, x => (x.Item2, x.Item3));
        }

        /// <summary>Index scans per request (tuples read per request), busiest first; and the seq scans, if any.</summary>
        public static (string Indexes, string? SeqScans) Describe(
            Dictionary<string, (long Scans, long Tuples)> before, Dictionary<string, (long Scans, long Tuples)> after, int requests)
        {
            var deltas = after.Select(kv => (Name: kv.Key, Scans: kv.Value.Scans - before.GetValueOrDefault(kv.Key).Scans,
                Tuples: kv.Value.Tuples - before.GetValueOrDefault(kv.Key).Tuples)).Where(x => x.Scans > 0).OrderByDescending(x => x.Scans).ToList();
            string Per(long v) => ((double)v / requests).ToString(v >= requests * 10L ? "#,0" : "0.#", CultureInfo.InvariantCulture);
            var indexes = deltas.Where(x => !x.Name.StartsWith("seq scan ", StringComparison.Ordinal))
                .Select(x => $"{x.Name} {Per(x.Scans)}× ({Per(x.Tuples)} tuples)").ToList();
            var seq = deltas.Where(x => x.Name.StartsWith("seq scan ", StringComparison.Ordinal))
                .Select(x => $"{x.Name[9..]} {Per(x.Scans)}× ({Per(x.Tuples)} rows)").ToList();
            return (indexes.Count == 0 ? "none" : string.Join("; ", indexes), seq.Count == 0 ? null : string.Join("; ", seq));
        }
    }
}
