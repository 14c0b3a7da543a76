using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Notiflows.Server.Providers;

namespace Notiflows.Server.Tests.Providers;

/// <summary>
/// One area's providers as the server registers them (<paramref name="addProviders"/>: <c>AddEmailProviders</c>,
/// <c>AddPushProviders</c>, <c>AddChatProviders</c>), with <paramref name="settings"/> (base URLs pointing at a
/// <see cref="FakeProviderServer"/>, the call timeout) and a fake clock, on which the call timeout runs.
/// </summary>
public class ProviderTestHost(
    Func<IServiceCollection, IServiceCollection> addProviders, IEnumerable<KeyValuePair<string, string?>> settings, FakeTimeProvider time)
    : IDisposable
{
    private readonly ServiceProvider _services = addProviders(new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .AddSingleton<TimeProvider>(time)
            .AddLogging())
        .BuildServiceProvider();

    public FakeTimeProvider Time => time;

    public IChannelProvider Provider(string name) => _services.GetServices<IChannelProvider>().Single(p => p.Provider == name);

    public void Dispose()
    {
        GC.SuppressFinalize(this);
        _services.Dispose();
    }
}
