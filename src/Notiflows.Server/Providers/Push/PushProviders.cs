using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Notiflows.Server.Providers.Push;

/// <summary>The push providers of §14.2: <c>webpush</c>, <c>fcm</c> and <c>apns</c>.</summary>
public static class PushProviders
{
    public static IServiceCollection AddPushProviders(this IServiceCollection services)
    {
        services.AddProviderHttp();
        services.AddSingleton<GoogleAccessTokens>();
        services.AddSingleton<IChannelProvider, WebPushProvider>();
        services.AddSingleton<IChannelProvider, FcmProvider>();
        services.AddSingleton<ApnsTokens>();
        services.TryAddSingleton(new ApnsTlsOptions());
        services.AddSingleton<ApnsCertificateClients>();
        services.AddSingleton<IChannelProvider, ApnsProvider>();
        return services;
    }
}
