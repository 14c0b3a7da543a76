using Notiflows.Storage.Database;
using Notiflows.Storage.Migrations;

namespace Notiflows.Server.Health;

/// <summary><c>/healthz</c> (alive) and <c>/readyz</c> (database reachable, migrations applied) — §2.</summary>
public static class HealthEndpoints
{
    public static void MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new HealthStatus("ok", null)))
            .WithName("Healthz").WithSummary("Liveness: 200 while the process is alive.").WithTags("Health");
        app.MapGet("/readyz", ReadyAsync)
            .WithName("Readyz").WithSummary("Readiness: the database is reachable and migrations are applied.").WithTags("Health");
    }

    private static async Task<IResult> ReadyAsync(Db db, Migrator migrator, IHostApplicationLifetime lifetime, CancellationToken ct)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return Unavailable("shutting_down");
        }
        try
        {
            if (!migrator.Applied || !await migrator.IsCurrentAsync(ct))
            {
                return Unavailable("migrations_pending");
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Unavailable("database_unreachable");
        }
        return TypedResults.Ok(new HealthStatus("ok", null));
    }

    private static IResult Unavailable(string reason) => TypedResults.Json(new HealthStatus("unavailable", reason), statusCode: 503);
}

public sealed record HealthStatus(string Status, [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] string? Reason);
