namespace Notiflows.Server.Providers.Email;

/// <summary>The email providers of §14.2, each an <see cref="IChannelProvider"/> singleton.</summary>
public static class EmailProviders
{
    public static IServiceCollection AddEmailProviders(this IServiceCollection services)
    {
        services.AddProviderHttp();
        services.AddSingleton<IChannelProvider, SmtpProvider>();
        services.AddSingleton<IChannelProvider, SendGridProvider>();
        services.AddSingleton<IChannelProvider, PostmarkProvider>();
        services.AddSingleton<IChannelProvider, ResendProvider>();
        services.AddSingleton<IChannelProvider, MailgunProvider>();
        services.AddSingleton<IChannelProvider, SesProvider>();
        return services;
    }
}
