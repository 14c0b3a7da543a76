namespace Notiflows.Server.Providers.Chat;

/// <summary>The sms, chat and webhook providers of §14.2: <c>twilio</c>, <c>slack</c>, <c>discord</c>, <c>msteams</c>, <c>http</c>.</summary>
public static class ChatProviders
{
    public static IServiceCollection AddChatProviders(this IServiceCollection services)
    {
        services.AddProviderHttp();
        services.AddSingleton<IChannelProvider, WebhookProvider>();
        services.AddSingleton<IChannelProvider, SlackProvider>();
        services.AddSingleton<IChannelProvider, TwilioProvider>();
        services.AddSingleton<IChannelProvider, DiscordProvider>();
        services.AddSingleton<IChannelProvider, TeamsProvider>();
        return services;
    }
}
