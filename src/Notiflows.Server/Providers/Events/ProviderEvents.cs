namespace Notiflows.Server.Providers.Events;

/// <summary>The inbound sides of the providers that report delivery events (§14.4), each an <see cref="IProviderEventSource"/>.</summary>
public static class ProviderEvents
{
    public static IServiceCollection AddProviderEvents(this IServiceCollection services)
    {
        services.AddSingleton<IProviderEventSource, PostmarkEventSource>();
        services.AddSingleton<IProviderEventSource, MailgunEventSource>();
        services.AddSingleton<IProviderEventSource, ResendEventSource>();
        services.AddSingleton<IProviderEventSource, TwilioEventSource>();
        services.AddSignedEventSources();
        return services;
    }
}
