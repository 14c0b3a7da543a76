using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Tests.Infrastructure;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Tests.Protocol;

/// <summary>A host with a test-only endpoint that throws, to prove the 500 path reveals nothing.</summary>
public abstract class ProtocolFixture(DbKind kind) : HostFixture(kind)
{
    public const string ThrowPath = "/management/v1/__tests/throw";
    public const string SecretInternals = "connection string Password=hunter2 at Notiflows.Internal";

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IEndpointMapper, ThrowingEndpoint>();

    private sealed class ThrowingEndpoint : IEndpointMapper
    {
        public void Map(IEndpointRouteBuilder app) => app.MapGet(ThrowPath, string () => throw new InvalidOperationException(SecretInternals));
    }
}

public sealed class SqliteProtocolFixture() : ProtocolFixture(DbKind.Sqlite);

public sealed class PostgresProtocolFixture() : ProtocolFixture(DbKind.Postgres);

/// <summary>A host whose Management, Admin and User buckets are tiny, so the 429 path is reachable in a few requests.</summary>
public abstract class RateLimitFixture(DbKind kind) : HostFixture(kind)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Notiflows:RateLimits:Management:Rate"] = "1",
        ["Notiflows:RateLimits:Management:Burst"] = "2",
        ["Notiflows:RateLimits:Admin:Rate"] = "2",
        ["Notiflows:RateLimits:Admin:Burst"] = "2",
        ["Notiflows:RateLimits:User:Rate"] = "1",
        ["Notiflows:RateLimits:User:Burst"] = "3",
    };
}

public sealed class SqliteRateLimitFixture() : RateLimitFixture(DbKind.Sqlite);

public sealed class PostgresRateLimitFixture() : RateLimitFixture(DbKind.Postgres);
