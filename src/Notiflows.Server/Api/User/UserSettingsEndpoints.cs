using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Notiflows.Server.Api.UserSettings;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;

namespace Notiflows.Server.Api.User;

/// <summary>
/// The current user's preferences, channel settings and web-push channel subscriptions (§7.1): the Admin endpoints'
/// behaviour (§6.3, §6.4), acting on the authenticated user only.
/// </summary>
public static class UserSettingsEndpoints
{
    public static void MapUserSettingsEndpoints(this RouteGroupBuilder root)
    {
        root.MapGet("/preferences", GetPreferences).WithName("UserGetPreferences").WithSummary("The current user's preferences.");
        root.MapPut("/preferences", PutPreferences).WithName("UserUpdatePreferences")
            .WithSummary("Update the current user's preferences (partial).").WithRequestBody<PreferencesBody>();
        var settings = root.MapGroup("/channels/{channel_id}/settings");
        settings.MapGet("", GetSettings).WithName("UserGetChannelSettings").WithSummary("The current user's settings for a channel.");
        settings.MapPut("", PutSettings).WithName("UserPutChannelSettings")
            .WithSummary("Replace the current user's settings for a channel (e.g. register device tokens).").WithRequestBody<ChannelSettingsBody>();
        settings.MapDelete("", DeleteSettings).WithName("UserDeleteChannelSettings")
            .WithSummary("Remove the current user's settings for a channel (e.g. at logout; idempotent).");
        var subscriptions = root.MapGroup("/channels/{channel_id}/subscriptions");
        subscriptions.MapGet("", ListSubscriptions).WithName("UserListChannelSubscriptions")
            .WithSummary("The current user's web-push subscriptions on a channel.");
        subscriptions.MapPost("", PostSubscription).WithName("UserPostChannelSubscription")
            .WithSummary("Add a web-push subscription; an existing identifier is updated in place.").WithRequestBody<ChannelSubscriptionBody>();
        subscriptions.MapDelete("", DeleteSubscription).WithName("UserDeleteChannelSubscription")
            .WithSummary("Remove a web-push subscription by identifier (idempotent).").WithRequestBody<ChannelSubscriptionIdentifierBody>();
    }

    private static Task<Results<Ok<PreferencesResponse>, ApiError>> GetPreferences(HttpContext http, PreferenceService service, CancellationToken ct) =>
        service.GetAsync(UserTarget.Current(http), ct);

    private static Task<Results<Ok<PreferencesResponse>, ApiError>> PutPreferences(HttpContext http, PreferenceService service, CancellationToken ct) =>
        service.PutAsync(UserTarget.Current(http), http.Request, ct);

    private static Task<Results<Ok<ChannelSettingsResponse>, ApiError>> GetSettings(
        [FromRoute(Name = "channel_id")] string channelId, HttpContext http, ChannelSettingsService service, CancellationToken ct) =>
        service.GetAsync(UserTarget.Current(http), channelId, ct);

    private static Task<Results<Ok<ChannelSettingsResponse>, Created<ChannelSettingsResponse>, ApiError>> PutSettings(
        [FromRoute(Name = "channel_id")] string channelId, HttpContext http, ChannelSettingsService service, CancellationToken ct) =>
        service.PutAsync(UserTarget.Current(http), channelId, http.Request, ct);

    private static Task<Results<NoContent, ApiError>> DeleteSettings(
        [FromRoute(Name = "channel_id")] string channelId, HttpContext http, ChannelSettingsService service, CancellationToken ct) =>
        service.DeleteAsync(UserTarget.Current(http), channelId, ct);

    private static Task<Results<Ok<ChannelSubscriptionList>, ApiError>> ListSubscriptions(
        [FromRoute(Name = "channel_id")] string channelId, HttpContext http, ChannelSubscriptionService service, CancellationToken ct) =>
        service.ListAsync(UserTarget.Current(http), channelId, ct);

    private static Task<Results<Ok<ChannelSubscriptionResponse>, Created<ChannelSubscriptionResponse>, ApiError>> PostSubscription(
        [FromRoute(Name = "channel_id")] string channelId, HttpContext http, ChannelSubscriptionService service, CancellationToken ct) =>
        service.PostAsync(UserTarget.Current(http), channelId, http.Request, ct);

    private static Task<Results<NoContent, ApiError>> DeleteSubscription(
        [FromRoute(Name = "channel_id")] string channelId, HttpContext http, ChannelSubscriptionService service, CancellationToken ct) =>
        service.DeleteAsync(UserTarget.Current(http), channelId, http.Request, ct);
}
