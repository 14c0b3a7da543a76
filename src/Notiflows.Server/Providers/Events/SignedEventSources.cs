namespace Notiflows.Server.Providers.Events;

/// <summary>
/// The inbound event sources verified by a public-key signature (§14.4): <c>sendgrid</c> (ECDSA signed event webhook)
/// and <c>ses</c> (Amazon SNS message signature), each an <see cref="IProviderEventSource"/> singleton, plus the named
/// <see cref="SnsClient.HttpClientName"/> client SNS certificates and subscription confirmations go through.
/// </summary>
public static class SignedEventSources
{
    public static IServiceCollection AddSignedEventSources(this IServiceCollection services)
    {
        services.AddHttpClient(SnsClient.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<SnsClient>();
        services.AddSingleton<IProviderEventSource, SendGridEventSource>();
        services.AddSingleton<IProviderEventSource, SesEventSource>();
        return services;
    }
}
