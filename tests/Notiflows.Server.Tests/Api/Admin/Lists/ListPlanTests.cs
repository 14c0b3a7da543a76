using System.Text;
using System.Text.Json.Nodes;
using Notiflows.Server.Api.Admin.Lists;
using Notiflows.Server.Infrastructure.Paging;
using Notiflows.Server.Tests.Infrastructure;
using Notiflows.Server.Tests.Runs;
using Notiflows.Storage.Runs;

namespace Notiflows.Server.Tests.Api.Admin.Lists;

/// <summary>
/// Issue 4, point 8 (a million notifications, a 25-item page in ≤ 20 ms): every Admin list query, alone and with each
/// single filter, is served by an index range scan that returns the rows in id order. On PostgreSQL, with tens of
/// thousands of rows spread over several projects and fresh statistics, the plan of the very SQL the endpoints run
/// (<see cref="AdminListQueries"/>) must read the listed table through an index whose condition holds the filter, and
/// must not sort (ORDER BY id LIMIT comes from the index). <c>enable_seqscan = off</c> only stops the planner hiding a
/// missing index behind a cheap scan of a small table: drop any list index from 0003_admin.sql and this test fails.
/// </summary>
public sealed class PostgresListPlanTests(PostgresFixture fixture) : RunTestBase<PostgresFixture>(fixture)
{
    private const int Rows = 40_000;

    private sealed record Case(string Name, ListQuery Query, string Table, string IndexCondition, bool SortAllowed = false);

    [Fact]
    public async Task EveryListQuery_ReadsThroughAnIndex_InIdOrder()
    {
        var v = await SeedAsync();
        var failures = new StringBuilder();
        foreach (var c in Cases(v))
        {
            var plan = JsonNode.Parse(await Database.WriteAsync(async s =>
            {
                await s.ExecuteAsync("SET LOCAL enable_seqscan = off", null, Ct);
                return await s.ScalarAsync<string>("EXPLAIN (FORMAT JSON) " + c.Query.Sql, c.Query.Parameters, Ct);
            }, Ct))![0]!["Plan"]!;
            var problem = Check(plan, c);
            if (problem is not null)
            {
                failures.AppendLine($"{c.Name}: {problem}\n{c.Query.Sql}\n{plan.ToJsonString()}\n");
            }
        }
        Assert.True(failures.Length == 0, failures.ToString());
    }

    private static string? Check(JsonNode plan, Case c)
    {
        var nodes = Flatten(plan).ToList();
        var scans = nodes.Where(n => (string?)n["Relation Name"] == c.Table).ToList();
        if (scans.Count == 0)
        {
            return $"no scan of {c.Table}";
        }
        if (scans.Any(n => (string?)n["Node Type"] == "Seq Scan"))
        {
            return $"Seq Scan on {c.Table}";
        }
        var conditions = nodes.Select(n => (string?)n["Index Cond"] ?? (string?)n["Recheck Cond"]).OfType<string>();
        if (!conditions.Any(cond => cond.Contains(c.IndexCondition, StringComparison.Ordinal)))
        {
            return $"no index condition with '{c.IndexCondition}' (the filter is not served by an index)";
        }
        if (!c.SortAllowed && nodes.Any(n => ((string?)n["Node Type"])?.Contains("Sort", StringComparison.Ordinal) == true))
        {
            return "a Sort: the order does not come from the index";
        }
        return null;
    }

    private static IEnumerable<JsonNode> Flatten(JsonNode node) =>
        new[] { node }.Concat((node["Plans"]?.AsArray() ?? []).SelectMany(child => Flatten(child!)));

    private sealed record Values(
        Guid Dense, Guid Sparse, Guid Notiflow, Guid RunNotiflow, Guid Run, Guid Recipient, Guid User, Guid Channel, Guid Notification,
        DateTimeOffset Recent, DateTimeOffset Early);

    private static IEnumerable<Case> Cases(Values v)
    {
        var first = new CursorPage(25, null, null);
        var later = new CursorPage(25, Guid.CreateVersion7().ToString(), null);
        var newer = new CursorPage(25, null, Guid.CreateVersion7(v.Early).ToString());
        var (after, before) = (v.Recent, v.Early);

        yield return new("users", AdminListQueries.Users(v.Sparse, null, null, first), "users", "(project_id =");
        yield return new("users after cursor", AdminListQueries.Users(v.Sparse, null, null, later), "users", "(id <");
        yield return new("users created_after", AdminListQueries.Users(v.Sparse, after, null, first), "users", "(id >=");
        yield return new("users created_before", AdminListQueries.Users(v.Sparse, null, before, first), "users", "(id <=");
        yield return new("user subscriptions", AdminListQueries.UserSubscriptions(v.User, first), "subscriptions", "(user_id =");
        yield return new("user subscriptions before cursor", AdminListQueries.UserSubscriptions(v.User, newer), "subscriptions", "(user_id =");

        var (runs, sparseRuns) = (new RunFilter(v.Dense), new RunFilter(v.Sparse));
        yield return new("runs", AdminListQueries.Runs(sparseRuns, first), "runs", "(project_id =");
        yield return new("runs notiflow", AdminListQueries.Runs(runs with { NotiflowId = v.RunNotiflow }, first), "runs", "(notiflow_id =");
        yield return new("runs status", AdminListQueries.Runs(runs with { Status = "failed" }, first), "runs", "(status =");
        yield return new("runs topic", AdminListQueries.Runs(runs with { Topic = "topic-3" }, first), "runs", "(topic =");
        yield return new("runs cancellation_key", AdminListQueries.Runs(runs with { CancellationKey = "key-3" }, first), "runs", "(cancellation_key =");
        yield return new("runs created_after", AdminListQueries.Runs(sparseRuns with { CreatedAfter = after }, first), "runs", "(id >=");

        var (n, sparseN) = (new NotificationFilter(v.Dense), new NotificationFilter(v.Sparse));
        yield return new("notifications", AdminListQueries.Notifications(sparseN, first), "notifications", "(project_id =");
        yield return new("notifications after cursor", AdminListQueries.Notifications(sparseN, later), "notifications", "(id <");
        yield return new("notifications before cursor", AdminListQueries.Notifications(sparseN, newer), "notifications", "(id >");
        yield return new("notifications status", AdminListQueries.Notifications(n with { Status = "failed" }, first), "notifications", "(status =");
        yield return new("notifications topic", AdminListQueries.Notifications(n with { Topic = "topic-3" }, first), "notifications", "(topic =");
        yield return new("notifications notiflow", AdminListQueries.Notifications(n with { NotiflowId = v.Notiflow }, first), "notifications", "(notiflow_id =");
        yield return new("notifications run", AdminListQueries.Notifications(n with { RunId = v.Run }, first), "notifications", "(run_id =");
        yield return new("notifications recipient (and user list)", AdminListQueries.Notifications(n with { RecipientId = v.Recipient }, first),
            "notifications", "(recipient_id =");
        yield return new("notifications created_after", AdminListQueries.Notifications(sparseN with { CreatedAfter = after }, first), "notifications", "(id >=");
        yield return new("notifications created_before", AdminListQueries.Notifications(sparseN with { CreatedBefore = before }, first), "notifications", "(id <=");
        yield return new("notifications status and created_after",
            AdminListQueries.Notifications(n with { Status = "processed", CreatedAfter = after }, first), "notifications", "(id >=");

        var (d, sparseD) = (new DeliveryFilter(v.Dense), new DeliveryFilter(v.Sparse));
        yield return new("deliveries", AdminListQueries.Deliveries(sparseD, first), "deliveries", "(project_id =");
        yield return new("deliveries after cursor", AdminListQueries.Deliveries(sparseD, later), "deliveries", "(id <");
        yield return new("deliveries channel_id", AdminListQueries.Deliveries(d with { ChannelId = v.Channel }, first), "deliveries", "(channel_id =");
        yield return new("deliveries status", AdminListQueries.Deliveries(d with { Status = "bounced" }, first), "deliveries", "(status =");
        yield return new("deliveries topic", AdminListQueries.Deliveries(d with { Topic = "topic-3" }, first), "deliveries", "(topic =");
        yield return new("deliveries channel_type", AdminListQueries.Deliveries(d with { ChannelType = "sms" }, first), "deliveries", "(channel_type =");
        yield return new("deliveries notiflow", AdminListQueries.Deliveries(d with { NotiflowId = v.Notiflow }, first), "deliveries", "(notiflow_id =");
        yield return new("deliveries run", AdminListQueries.Deliveries(d with { RunId = v.Run }, first), "deliveries", "(run_id =");
        yield return new("deliveries recipient (user list)", AdminListQueries.Deliveries(d with { RecipientId = v.Recipient }, first),
            "deliveries", "(recipient_id =");
        yield return new("deliveries created_after", AdminListQueries.Deliveries(sparseD with { CreatedAfter = after }, first), "deliveries", "(id >=");
        yield return new("deliveries created_before", AdminListQueries.Deliveries(sparseD with { CreatedBefore = before }, first), "deliveries", "(id <=");
        // A notification has one delivery per channel step: its list may sort that handful, found by notification_id.
        yield return new("notification deliveries", AdminListQueries.Deliveries(d with { NotificationId = v.Notification }, first),
            "deliveries", "(notification_id =", SortAllowed: true);
    }

    /// <summary>
    /// Four projects made through the API: <c>Dense</c> holds 85% of every table (the filter cases run there, so a run's
    /// or a recipient's rows are hundreds, and sorting them would cost more than reading an index in order),
    /// <c>Sparse</c> 0.5% (the unfiltered and created-window cases run there). Filter values are rare (≤ 1%): with a
    /// common one, reading the primary key backwards and skipping the rows that do not match is a fine plan too, and
    /// would hide a missing index. Ids are time-ordered like UUIDv7. Then ANALYZE.
    /// </summary>
    private async Task<Values> SeedAsync()
    {
        var dense = await ProjectWithFlowAsync();
        await PublishAsync(dense, "other", FlowSteps);
        await RunOneAsync(dense, Flow);
        var slugs = new List<string> { dense.Slug, (await NewProjectAsync()).Slug, (await NewProjectAsync()).Slug, (await NewProjectAsync()).Slug };
        var now = Host.Time.GetUtcNow();
        var other = Guid.Parse(await NotiflowIdAsync(dense, "other"));
        await Database.WriteAsync(async s =>
        {
            var projects = new List<Guid>();
            foreach (var slug in slugs)
            {
                projects.Add(await s.QueryOneAsync<Guid>("SELECT id FROM projects WHERE slug = @slug", new { slug }, Ct));
            }
            var run = await s.QueryOneAsync<Guid>("SELECT id FROM runs WHERE project_id = @project", new { project = projects[0] }, Ct);
            var args = new { projects = projects.ToArray(), run, other, rows = Rows, nowMs = now.ToUnixTimeMilliseconds() };
            // 17 in 20 rows in the dense project, 1 in 200 in the sparse one; each filter value picked below is in 1% of the rows or fewer; ids: 48-bit milliseconds (a row a second, the last now), then md5 bits.
            const string Project = "(@projects)[CASE WHEN g % 200 = 0 THEN 2 WHEN g % 20 < 3 THEN 3 + g % 2 ELSE 1 END]";
            const string Ms = "(@nowMs - (@rows - g) * 1000)";
            var id = V7(Ms, "g::text");
            var created = $"{Ms} * 1000";
            string RunCopy(string runId) => string.Join(", ", RunStore.RunColumns.Split(',', StringSplitOptions.TrimEntries).Select(c => c switch
            {
                "id" => runId,
                "project_id" => Project,
                "notiflow_id" => "CASE WHEN g % 100 = 0 THEN @other ELSE r.notiflow_id END",
                "status" => "CASE g % 100 WHEN 1 THEN 'failed' WHEN 2 THEN 'cancelled' ELSE 'completed' END",
                "topic" => "CASE WHEN g % 3 = 0 THEN 'topic-' || g % 30 END",
                "cancellation_key" => "CASE WHEN g % 2 = 0 THEN 'key-' || g % 500 END",
                "created_at" or "updated_at" => created,
                _ => "r." + c,
            }));
            // Notifications: run g % 199 and recipient g % 211 never repeat a pair (UNIQUE (run_id, recipient_id)) below 199 × 211 rows.
            await s.ExecuteAsync($$"""
                INSERT INTO runs ({{RunStore.RunColumns}}) SELECT {{RunCopy(id)}} FROM runs r, generate_series(1, @rows / 2) g WHERE r.id = @run;
                INSERT INTO runs ({{RunStore.RunColumns}}) SELECT {{RunCopy("md5('run' || g)::uuid")}} FROM runs r, generate_series(0, 198) g WHERE r.id = @run;
                INSERT INTO users (id, project_id, external_id, custom_fields, created_at, updated_at)
                  SELECT {{id}}, {{Project}}, 'u' || g, '{}', {{created}}, {{created}} FROM generate_series(1, @rows / 2) g;
                INSERT INTO topics (id, project_id, name, created_at)
                  SELECT gen_random_uuid(), (@projects)[1], 'topic-' || g, 0 FROM generate_series(1, 1000) g;
                INSERT INTO subscriptions (id, project_id, topic_id, user_id, created_at)
                  SELECT {{V7("(u.created_at / 1000)", "t.name || u.external_id")}}, u.project_id, t.id, u.id, u.created_at
                  FROM users u JOIN topics t ON t.project_id = u.project_id
                  WHERE u.external_id = 'u5' OR abs(hashtext(u.external_id || t.name)) % 500 = 0;
                INSERT INTO notifications (id, project_id, run_id, notiflow_id, version_id, recipient_id, topic, status, created_at, updated_at)
                  SELECT {{id}}, {{Project}}, md5('run' || g % 199)::uuid, md5('nf' || g % 100)::uuid, md5('v')::uuid,
                         md5('r' || g % 211)::uuid, CASE WHEN g % 3 = 0 THEN 'topic-' || g % 30 END,
                         CASE g % 50 WHEN 0 THEN 'failed' WHEN 1 THEN 'cancelled' WHEN 2 THEN 'pending' WHEN 3 THEN 'processing' ELSE 'processed' END,
                         {{created}}, {{created}}
                  FROM generate_series(1, @rows) g;
                INSERT INTO deliveries (id, project_id, notification_id, notiflow_id, run_id, step_handle, channel_id, channel_type, recipient_id,
                                        status, data, topic, attempts, created_at, updated_at)
                  SELECT {{id}}, {{Project}}, md5('n' || g / 2)::uuid, md5('nf' || g % 100)::uuid, md5('run' || g % 199)::uuid,
                         'step-' || g % 2, md5('ch' || g % 100)::uuid,
                         CASE WHEN g % 100 = 7 THEN 'sms' ELSE (ARRAY['email','in_app','mobile_push','web_push','chat','webhook'])[1 + g % 6] END, md5('r' || g % 211)::uuid,
                         CASE g % 50 WHEN 0 THEN 'failed' WHEN 1 THEN 'bounced' WHEN 2 THEN 'skipped' WHEN 3 THEN 'pending' ELSE 'sent' END,
                         '{}', CASE WHEN g % 3 = 0 THEN 'topic-' || g % 30 END, '[]', {{created}}, {{created}}
                  FROM generate_series(1, @rows) g;
                """, args, Ct);
            return 0;
        }, Ct);
        await Database.WriteAsync(s => s.ExecuteAsync("ANALYZE runs, users, topics, subscriptions, notifications, deliveries", null, Ct), Ct);
        return await Database.WriteAsync(async s => new Values(
            Dense: await s.QueryOneAsync<Guid>("SELECT id FROM projects WHERE slug = @slug", new { slug = slugs[0] }, Ct),
            Sparse: await s.QueryOneAsync<Guid>("SELECT id FROM projects WHERE slug = @slug", new { slug = slugs[1] }, Ct),
            Notiflow: await s.QueryOneAsync<Guid>("SELECT md5('nf3')::uuid", null, Ct),
            RunNotiflow: other,
            Run: await s.QueryOneAsync<Guid>("SELECT md5('run3')::uuid", null, Ct),
            Recipient: await s.QueryOneAsync<Guid>("SELECT md5('r3')::uuid", null, Ct),
            User: await s.QueryOneAsync<Guid>("SELECT u.id FROM users u JOIN projects p ON p.id = u.project_id WHERE u.external_id = 'u5' AND p.slug = @slug",
                new { slug = slugs[0] }, Ct),
            Channel: await s.QueryOneAsync<Guid>("SELECT md5('ch3')::uuid", null, Ct),
            Notification: await s.QueryOneAsync<Guid>("SELECT md5('n3')::uuid", null, Ct),
            Recent: now.AddSeconds(-Rows / 100), Early: now.AddSeconds(-Rows + (Rows / 100))), Ct);
    }

    /// <summary>A UUIDv7-shaped id: the 48-bit millisecond expression, then bits from an md5 of <paramref name="seed"/>.</summary>
    private static string V7(string millis, string seed) =>
        $"""
        (SELECT (substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-7' || substr(m, 1, 3) || '-8' || substr(m, 4, 3) || '-' || substr(m, 7, 12))::uuid
         FROM (SELECT lpad(to_hex({millis}::bigint), 12, '0') AS h, md5({seed}) AS m) x)
        """;
}
