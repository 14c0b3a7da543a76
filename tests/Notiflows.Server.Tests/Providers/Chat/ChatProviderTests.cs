using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Notiflows.Core.Delivery;
using Notiflows.Server.Providers;
using Notiflows.Server.Providers.Chat;

namespace Notiflows.Server.Tests.Providers.Chat;

/// <summary>
/// Base of the sms, chat and webhook provider tests: the providers as the server registers them (<c>AddChatProviders</c>),
/// pointed at a <see cref="FakeProviderServer"/>, on a fake clock (the call timeout is measured on it: no sleeps).
/// </summary>
public abstract class ChatProviderTests : IAsyncLifetime
{
    protected static readonly DateTimeOffset Start = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private ProviderTestHost? _host;

    protected FakeTimeProvider Time { get; } = new(Start);

    protected FakeProviderServer Server { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Server = await FakeProviderServer.StartAsync();
        _host = new ProviderTestHost(s => s.AddChatProviders(), new Dictionary<string, string?>
        {
            ["Notiflows:Providers:slack:BaseUrl"] = Server.Url + "/api",
            ["Notiflows:Providers:twilio:BaseUrl"] = Server.Url,
            ["Notiflows:Providers:discord:BaseUrl"] = Server.Url + "/api/v10",
        }, Time);
    }

    public async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        _host?.Dispose();

        await Server.DisposeAsync();
    }

    protected IChannelProvider Provider(string name) => _host!.Provider(name);

    protected static OutboundMessage Message(string channelType, string provider, JsonObject config, JsonObject data,
        string? address = null, JsonObject? settings = null, int attempt = 1, Guid? deliveryId = null) =>
        new(deliveryId ?? Guid.NewGuid(), Guid.NewGuid(), channelType, provider, config, data, address, null, settings,
            new JsonObject { ["id"] = "user-1" }, attempt);

    /// <summary>Sends while the fake holds the request, moves the clock past <paramref name="timeout"/>, and returns the reply.</summary>
    protected Task<ProviderReply> SendTimingOutAsync(IChannelProvider provider, OutboundMessage message, TimeSpan timeout) =>
        Server.SendTimingOutAsync(() => provider.SendAsync(message, Ct), Time, timeout);

    /// <summary>A URL on which nothing listens: a fake server's, after it stopped.</summary>
    protected static async Task<string> RefusingUrlAsync()
    {
        var gone = await FakeProviderServer.StartAsync();
        var url = gone.Url;
        await gone.DisposeAsync();
        return url;
    }

    protected static void AssertReply(ProviderReply reply, AttemptOutcome outcome, int? status, string? errorContains = null)
    {
        Assert.True(reply.Outcome == outcome && reply.StatusCode == status, $"Expected {outcome} {status}, got {reply}");
        if (errorContains is not null)
        {
            Assert.Contains(errorContains, reply.Error ?? "", StringComparison.Ordinal);
        }
    }
}
