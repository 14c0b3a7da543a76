using System.Globalization;

namespace Notiflows.Bench;

/// <summary>Command-line options of the benchmark harness.</summary>
internal sealed class Options
{
    public string Db { get; private set; } = "sqlite";
    public string? Postgres { get; private set; }
    public bool KeepData { get; private set; }
    public string Scenario { get; private set; } = "all";
    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(15);
    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(3);
    public TimeSpan Timeout { get; private set; } = TimeSpan.FromSeconds(600);
    public int Clients { get; private set; } = 64;
    public int RealtimeClients { get; private set; } = 1000;
    public int Subscribers { get; private set; } = 100_000;
    public double Rate { get; private set; } = 500;
    public int SampleEvery { get; private set; } = 10;
    public string UsersVia { get; private set; } = "runs";
    public int Notifications { get; private set; } = 1_000_000;
    public int ListUsers { get; private set; } = 10_000;
    public int ListRequests { get; private set; } = 300;
    public int ListClients { get; private set; } = 8;
    public bool Analyze { get; private set; } = true;
    public double FailRate { get; private set; }
    public bool NoBuild { get; private set; }
    public string? Markdown { get; private set; }
    public IReadOnlyList<string> Raw { get; private set; } = [];

    /// <summary>Whether to run <paramref name="scenario"/>; <c>all</c> leaves out <c>lists</c>, <c>realtime</c> and <c>delivery</c>, which only run when named.</summary>
    public bool Runs(string scenario) => string.Equals(Scenario, scenario, StringComparison.Ordinal)
        || (string.Equals(Scenario, "all", StringComparison.Ordinal) && scenario is not ("lists" or "realtime" or "delivery"));

    public const string Usage = """
        Notiflows.Bench — load harness for the Notiflows server.

          --db sqlite|postgres           database of the server under test (default sqlite)
          --postgres "<npgsql conn>"     PostgreSQL server to create a fresh database in (or env NOTIFLOWS_BENCH_POSTGRES)
          --keep-data                    keep the server's data directory (SQLite database, server.log) and the PostgreSQL database
          --scenario trigger|fanout|e2e|lists|realtime|delivery|all   (default all = trigger, fanout, e2e; lists, realtime and
                                         delivery only by name)
          --duration <s>                 measured time of trigger, e2e, realtime and delivery (default 15)
          --warmup <s>                   warm-up before trigger measurement, and of realtime and delivery (default 3)
          --clients <n>                  concurrent clients of the trigger scenario (default 64)
          --subscribers <n>              topic subscribers of the fan-out scenario (default 100000)
          --users-via runs|put           fan-out set-up: create users by runs of a trigger→end notiflow, 1,000
                                         recipients each (default), or by parallel PUT /admin/v1/users/{id}
          --rate <runs/s>                e2e, realtime and delivery send rate (default 500)
          --fail-rate <0..1>             delivery: fraction of runs whose first provider request the fake answers 503 (default 0)
          --clients-rt <n>               realtime: connected WebSocket clients, one user each (default 1000)
          --sample-every <n>             e2e: follow every n-th run to its delivery (default 10)
          --notifications <n>            lists: notifications (and deliveries) seeded straight into the database (default 1000000)
          --users <n>                    lists: users created through the API, the recipients of those notifications (default 10000)
          --list-requests <n>            lists: requests per request kind, once with 1 client and once spread over the clients (default 300)
          --list-clients <n>             lists: concurrent clients of the second pass (default 8)
          --no-analyze                   lists: do not run ANALYZE after seeding
          --timeout <s>                  cap for any wait on the server (default 600)
          --no-build                     do not build the server first
          --markdown <file>              append the result table as Markdown
        """;

    public static Options Parse(string[] args)
    {
        var o = new Options { Raw = args };
        for (var i = 0; i < args.Length; i++)
        {
            var a = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{a} needs a value");
            double Seconds() => double.Parse(Next(), CultureInfo.InvariantCulture);
            switch (a)
            {
                case "--db": o.Db = Next(); break;
                case "--postgres": o.Postgres = Next(); break;
                case "--keep-data": o.KeepData = true; break;
                case "--scenario": o.Scenario = Next(); break;
                case "--duration": o.Duration = TimeSpan.FromSeconds(Seconds()); break;
                case "--warmup": o.Warmup = TimeSpan.FromSeconds(Seconds()); break;
                case "--timeout": o.Timeout = TimeSpan.FromSeconds(Seconds()); break;
                case "--clients": o.Clients = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--clients-rt": o.RealtimeClients = Math.Max(1, int.Parse(Next(), CultureInfo.InvariantCulture)); break;
                case "--subscribers": o.Subscribers = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--rate": o.Rate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--sample-every": o.SampleEvery = Math.Max(1, int.Parse(Next(), CultureInfo.InvariantCulture)); break;
                case "--users-via": o.UsersVia = Next(); break;
                case "--notifications": o.Notifications = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--users": o.ListUsers = Math.Max(1, int.Parse(Next(), CultureInfo.InvariantCulture)); break;
                case "--list-requests": o.ListRequests = Math.Max(1, int.Parse(Next(), CultureInfo.InvariantCulture)); break;
                case "--list-clients": o.ListClients = Math.Max(1, int.Parse(Next(), CultureInfo.InvariantCulture)); break;
                case "--no-analyze": o.Analyze = false; break;
                case "--fail-rate": o.FailRate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--no-build": o.NoBuild = true; break;
                case "--markdown": o.Markdown = Next(); break;
                default: throw new ArgumentException($"unknown option {a}");
            }
        }
        if (o.Db is not ("sqlite" or "postgres"))
        {
            throw new ArgumentException("--db must be sqlite or postgres");
        }
        if (o.Scenario is not ("trigger" or "fanout" or "e2e" or "lists" or "realtime" or "delivery" or "all"))
        {
            throw new ArgumentException("--scenario must be trigger, fanout, e2e, lists, realtime, delivery or all");
        }
        if (o.FailRate is < 0 or > 1 || double.IsNaN(o.FailRate))
        {
            throw new ArgumentException("--fail-rate must be between 0 and 1");
        }
        if (o.UsersVia is not ("runs" or "put"))
        {
            throw new ArgumentException("--users-via must be runs or put");
        }
        if (string.Equals(o.Db, "postgres", StringComparison.Ordinal))
        {
            o.Postgres ??= Environment.GetEnvironmentVariable("NOTIFLOWS_BENCH_POSTGRES");
            if (string.IsNullOrWhiteSpace(o.Postgres))
            {
                throw new ArgumentException("--db postgres needs --postgres \"<conn string>\" or NOTIFLOWS_BENCH_POSTGRES");
            }
        }
        return o;
    }
}
