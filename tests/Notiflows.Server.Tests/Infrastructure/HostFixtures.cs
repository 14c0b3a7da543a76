using Microsoft.Extensions.DependencyInjection;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Tests.Infrastructure;

/// <summary>A host per test class, on one database kind. Tests derive from <see cref="ApiTests{TFixture}"/>.</summary>
public abstract class HostFixture(DbKind kind) : IAsyncLifetime
{
    public DbKind Kind => kind;

    /// <summary>Settings a fixture adds to the defaults of <see cref="TestHost"/>.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    /// <summary>Services a fixture adds (e.g. test-only endpoints).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>True to listen on a real loopback port (<see cref="TestHost.Url"/>), e.g. for a browser.</summary>
    protected virtual bool Kestrel => false;

    private TestHost? _host;

    public TestHost Host => _host ?? throw new InvalidOperationException("The host did not start.");

    public virtual async ValueTask InitializeAsync()
    {
        if (kind == DbKind.Postgres && TestPostgres.AdminConnectionString is null)
        {
            return; // each test then skips (locally) or fails (CI) through ApiTests.Host
        }
        _host = await TestHost.StartAsync(kind, Settings, ConfigureServices, Kestrel);
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteFixture() : HostFixture(DbKind.Sqlite);

public sealed class PostgresFixture() : HostFixture(DbKind.Postgres);
