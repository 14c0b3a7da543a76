using Microsoft.Extensions.DependencyInjection;
using Notiflows.Core.Delivery;
using Notiflows.Server.Providers;
using Notiflows.Server.Realtime;
using Notiflows.Server.Tests.Infrastructure;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Tests.Engine;

/// <summary>
/// A provider whose sends all wait until the test opens the gate; it tells when <see cref="Target"/> are waiting at once
/// and when <see cref="Total"/> have been answered.
/// </summary>
public sealed class GatedProvider(string provider, int target, int total) : IChannelProvider
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waiting;
    private int _done;

    public string Provider => provider;

    public int Target => target;

    public int Total => total;

    /// <summary>Completes once <see cref="Target"/> sends are held at the gate at the same time.</summary>
    public TaskCompletionSource Saturated { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once <see cref="Total"/> sends have been answered.</summary>
    public TaskCompletionSource Finished { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Waiting => Volatile.Read(ref _waiting);

    public int Done => Volatile.Read(ref _done);

    public void Open() => _gate.TrySetResult();

    public async Task<ProviderReply> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        if (Interlocked.Increment(ref _waiting) >= target)
        {
            Saturated.TrySetResult();
        }
        await _gate.Task.WaitAsync(ct);
        Interlocked.Decrement(ref _waiting);
        if (Interlocked.Increment(ref _done) >= total)
        {
            Finished.TrySetResult();
        }
        return ProviderReply.Ok(202, $"msg-{message.DeliveryId}");
    }
}

/// <summary>
/// The real background workers (one engine loop, two provider sends in flight) with a <c>sendgrid</c> provider that holds
/// every send until the test lets it go.
/// </summary>
public abstract class HeldProviderFixture(DbKind kind) : HostFixture(kind)
{
    public GatedProvider Provider { get; } = new("sendgrid", target: 2, total: 5);

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Notiflows:Workers:Enabled"] = "true",
        ["Notiflows:Workers:Count"] = "1",
        ["Notiflows:Delivery:Concurrency"] = "2",
    };

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IChannelProvider>(Provider);
}

public sealed class SqliteHeldProviderFixture() : HeldProviderFixture(DbKind.Sqlite);

public sealed class PostgresHeldProviderFixture() : HeldProviderFixture(DbKind.Postgres);

/// <summary>
/// Provider sends have their own worker loop: while every send slot is held by a provider that does not answer, the
/// engine keeps running other notifications (an in-app entry arrives); the held sends complete once the provider answers.
/// </summary>
public abstract class DeliveryWorkerTests<TFixture>(TFixture fixture) : EngineTests<TFixture>(fixture) where TFixture : HeldProviderFixture
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly GatedProvider _provider = fixture.Provider;

    [Fact]
    public async Task ProviderHoldsEverySendSlot_EngineStillDeliversInApp_ThenTheSendsComplete()
    {
        var ct = TestContext.Current.CancellationToken;
        var provider = _provider;
        var p = await NewProjectAsync();
        (await Mgmt(HttpMethod.Put, $"{p.Base}/channels/mail-sg", """
            {"name": "SendGrid", "type": "email", "provider": "sendgrid", "config": {"api_key": "SG.abcdefghijklmnop", "from_email": "ops@example.com"}}
            """)).AssertStatus(201);
        await PublishAsync(p, "mail", Steps(Trigger, Step("mail", "channel", 1, """
            "channel_type": "email", "channel_handle": "mail-sg", "template": {"data": {"subject": "Hi", "body": "Hello"}}
            """), End(2)));
        await PublishAsync(p, "inbox", Steps(Trigger, InApp("inbox", 1, "Still here"), End(2)));
        var projectId = Guid.Parse((string)(await Mgmt(HttpMethod.Get, p.Base)).AssertStatus(200).Body["id"]!);
        var inAppId = Guid.Parse((string)(await Mgmt(HttpMethod.Get, $"{p.Base}/channels/in-app")).AssertStatus(200).Body["id"]!);
        var userId = Guid.Parse((string)(await Admin(p, HttpMethod.Put, "/admin/v1/users/reader", "{}")).AssertStatus(201).Body["id"]!);
        var hub = Host.Services.GetRequiredService<FeedHub>();
        var connection = new FeedConnection(projectId, userId, byUserKey: false);
        hub.Open(connection);
        hub.Follow(connection, inAppId);

        var recipients = string.Join(", ", Enumerable.Range(1, 5).Select(i => $$"""{"external_id": "u{{i}}", "email": "u{{i}}@acme.test"}"""));
        await RunAsync(p, "mail", $$"""{"recipients": [{{recipients}}]}""");
        await provider.Saturated.Task.WaitAsync(Patience, ct); // both send slots are held by the provider

        await RunAsync(p, "inbox", """{"recipients": ["reader"]}""");
        FeedEvent created;
        do
        {
            created = await connection.Events.ReadAsync(ct).AsTask().WaitAsync(Patience, ct);
        }
        while (created.Name != "delivery.created");
        Assert.Contains("Still here", created.Data, StringComparison.Ordinal);
        Assert.Equal((2, 0), (provider.Waiting, provider.Done)); // the engine went on while no send was answered
        hub.Close(connection);

        provider.Open();
        await provider.Finished.Task.WaitAsync(Patience, ct); // the three queued sends follow as slots free up
        Assert.Equal(5, provider.Done);
    }
}

public sealed class SqliteDeliveryWorkerTests(SqliteHeldProviderFixture f) : DeliveryWorkerTests<SqliteHeldProviderFixture>(f);

public sealed class PostgresDeliveryWorkerTests(PostgresHeldProviderFixture f) : DeliveryWorkerTests<PostgresHeldProviderFixture>(f);
