using Notiflows.Core.Delivery;

namespace Notiflows.Server.Providers;

/// <summary>
/// The providers this server can send through, by §14.2 name: every <see cref="IChannelProvider"/> registered in DI (each
/// area registers its own). A provider without an implementation answers a permanent error, so such a delivery fails (or
/// fails over) instead of retrying forever.
/// </summary>
public sealed class ProviderDirectory(IEnumerable<IChannelProvider> providers)
{
    public const string NotSupported = "this server cannot send through this provider yet";

    private readonly Dictionary<string, IChannelProvider> _byName = providers.GroupBy(p => p.Provider, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);

    /// <summary>
    /// Sends through the named provider. A provider must not throw for a provider failure; if one does anyway (a bug), the
    /// attempt counts as retryable with the exception's type as its error (never its message, which could hold secrets).
    /// </summary>
    public async Task<ProviderReply> SendAsync(string provider, OutboundMessage message, CancellationToken ct)
    {
        if (!_byName.TryGetValue(provider, out var implementation))
        {
            return new ProviderReply(AttemptOutcome.Permanent, null, NotSupported);
        }
        try
        {
            return await implementation.SendAsync(message, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return new ProviderReply(AttemptOutcome.Retryable, null, $"provider error ({ex.GetType().Name})");
        }
    }
}

/// <summary>DI registration of the delivery core's providers.</summary>
public static class CoreProviders
{
    public static IServiceCollection AddCoreProviders(this IServiceCollection services)
    {
        services.AddSingleton<IChannelProvider, SandboxProvider>();
        services.AddSingleton<ProviderDirectory>();
        return services;
    }
}
