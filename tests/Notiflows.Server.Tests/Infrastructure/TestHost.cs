using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Notiflows.Server.Workers;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Tests.Infrastructure;

/// <summary>
/// The real server (the whole ASP.NET Core pipeline, real database) in process, with a fake clock and known
/// bootstrap credentials. One host per test class; tests isolate themselves by working in a project of their own.
/// </summary>
public sealed class TestHost : WebApplicationFactory<Program>
{
    public const string AccountToken = "nf_at_testbootstraptoken0000000000000000000";
    public const string PublicKey = "pk_testbootstrappublic00000000000";
    public const string SecretKey = "sk_testbootstrapsecret00000000000000000000";
    public const string MasterKeyValue = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    private readonly string? _databaseUrl;
    private readonly IReadOnlyDictionary<string, string?> _extra;
    private readonly Action<IServiceCollection>? _services;

    public TestHost(DbKind kind, string? databaseUrl, IReadOnlyDictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null)
    {
        Kind = kind;
        _databaseUrl = databaseUrl;
        _extra = extra ?? new Dictionary<string, string?>();
        _services = services;
        DataDir = Directory.CreateTempSubdirectory("notiflows-test-").FullName;
    }

    public DbKind Kind { get; }

    /// <summary>The PostgreSQL database of this host (null on SQLite): another host on it is another node of one cluster.</summary>
    public string? DatabaseUrl => _databaseUrl;

    public string DataDir { get; }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 15, 10, 30, 0, TimeSpan.Zero));

    /// <summary>
    /// Boots a host. With <paramref name="kestrel"/> it listens on a free loopback port (<see cref="Url"/>) instead of the
    /// in-memory test server, so a real browser can reach it.
    /// </summary>
    public static async Task<TestHost> StartAsync(
        DbKind kind, IReadOnlyDictionary<string, string?>? extra = null, Action<IServiceCollection>? services = null, bool kestrel = false)
    {
        var ct = TestContext.Current.CancellationToken;
        var url = kind == DbKind.Postgres ? await TestPostgres.CreateDatabaseAsync(TestPostgres.RequireAdminConnectionString(), ct) : null;
        var host = new TestHost(kind, url, extra, services);
        if (kestrel)
        {
            host.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            host.StartServer(); // boots the host: migrations and bootstrap run now
            host.Url = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            host.ClientOptions.BaseAddress = new Uri(host.Url);
        }
        else
        {
            _ = host.Server; // boots the host: migrations and bootstrap run now
        }
        return host;
    }

    /// <summary>The base URL of a host started on Kestrel (e.g. <c>http://127.0.0.1:41234</c>); null for the in-memory server.</summary>
    public string? Url { get; private set; }

    /// <summary>Runs every due job until the queue is quiet (advance <see cref="Time"/> first to make timers due).</summary>
    public Task<int> DrainAsync() => Services.GetRequiredService<JobDrain>().RunUntilQuietAsync(TestContext.Current.CancellationToken);

    /// <summary>A client with the bootstrap account token (Management API).</summary>
    public HttpClient Management()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AccountToken);
        return client;
    }

    /// <summary>A client with a project's key pair (Admin API).</summary>
    public HttpClient Admin(string publicKey = PublicKey, string secretKey = SecretKey)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("x-notiflows-api-key", publicKey);
        client.DefaultRequestHeaders.Add("x-notiflows-secret-key", secretKey);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("NOTIFLOWS_DATA_DIR", DataDir);
        builder.UseSetting("NOTIFLOWS_DATABASE_URL", _databaseUrl ?? "");
        builder.UseSetting("NOTIFLOWS_MASTER_KEY", MasterKeyValue);
        builder.UseSetting("NOTIFLOWS_BOOTSTRAP_ACCOUNT_TOKEN", AccountToken);
        builder.UseSetting("NOTIFLOWS_BOOTSTRAP_PUBLIC_KEY", PublicKey);
        builder.UseSetting("NOTIFLOWS_BOOTSTRAP_SECRET_KEY", SecretKey);
        // Tests send many requests per second from one token; the limits themselves are tested with their own settings.
        builder.UseSetting("Notiflows:RateLimits:Management:Rate", "100000");
        builder.UseSetting("Notiflows:RateLimits:Management:Burst", "100000");
        // Jobs run only when a test drains them (DrainAsync), with the fake clock: no background timing in tests.
        builder.UseSetting("Notiflows:Workers:Enabled", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Warning");
        foreach (var (key, value) in _extra)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureServices(services =>
        {
            services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Time));
            _services?.Invoke(services);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by SQLite's pool: the temp dir is cleaned by the OS.
        }
    }
}
