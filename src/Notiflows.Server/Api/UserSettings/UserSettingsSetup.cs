namespace Notiflows.Server.Api.UserSettings;

public static class UserSettingsSetup
{
    /// <summary>The services behind both the Admin and the User API settings endpoints.</summary>
    public static IServiceCollection AddUserSettings(this IServiceCollection services) => services
        .AddSingleton<ChannelSettingsService>()
        .AddSingleton<ChannelSubscriptionService>()
        .AddSingleton<PreferenceService>();
}
