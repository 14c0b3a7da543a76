using Microsoft.Extensions.DependencyInjection;
using Notiflows.Core.Delivery;
using Notiflows.Server.Tests.Infrastructure;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Tests.Engine;

/// <summary>A host with <c>Notiflows:Delivery:MaxAttempts = 3</c> and no retry jitter.</summary>
public abstract class ThreeAttemptsFixture(DbKind kind) : HostFixture(kind)
{
    protected override IReadOnlyDictionary<string, string?> Settings =>
        new Dictionary<string, string?> { ["Notiflows:Delivery:MaxAttempts"] = "3" };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<RetryJitter, NoJitter>();
}

public sealed class SqliteThreeAttemptsFixture() : ThreeAttemptsFixture(DbKind.Sqlite);

public sealed class PostgresThreeAttemptsFixture() : ThreeAttemptsFixture(DbKind.Postgres);

/// <summary>The retry budget is configurable (§12.9 default 8): with three attempts a flaky delivery fails after the third.</summary>
public abstract class DeliverySettingsTests<TFixture>(TFixture fixture) : EngineTests<TFixture>(fixture) where TFixture : ThreeAttemptsFixture
{
    [Fact]
    public async Task MaxAttempts3_FailsAfterTheThirdAttempt()
    {
        var p = await NewProjectAsync();
        (await Mgmt(HttpMethod.Put, $"{p.Base}/channels/flaky",
            """{"name": "Flaky", "type": "email", "provider": "sandbox", "config": {"outcome": "fail_temporary"}}""")).AssertStatus(201);
        await PublishAsync(p, "mail", Steps(Trigger, Step("mail", "channel", 1, """
            "channel_type": "email", "channel_handle": "flaky", "template": {"data": {"subject": "Hi", "body": "Hello"}}
            """), End(2)));
        var n = await RunOneAsync(p, "mail");
        Assert.Equal("processing", (string?)Delivery(n, "mail")["status"]);

        foreach (var seconds in new[] { 15, 30 })
        {
            Host.Time.Advance(TimeSpan.FromSeconds(seconds));
            await Host.DrainAsync();
        }

        var d = Delivery(await Reload(p, n), "mail");
        Assert.Equal("failed", (string?)d["status"]);
        Assert.Equal([1, 2, 3], d["attempts"]!.AsArray().Select(a => (int)a!["number"]!));
        Assert.Null(d["next_attempt_at"]);
        Host.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await Host.DrainAsync());
    }
}

public sealed class SqliteDeliverySettingsTests(SqliteThreeAttemptsFixture f) : DeliverySettingsTests<SqliteThreeAttemptsFixture>(f);

public sealed class PostgresDeliverySettingsTests(PostgresThreeAttemptsFixture f) : DeliverySettingsTests<PostgresThreeAttemptsFixture>(f);
