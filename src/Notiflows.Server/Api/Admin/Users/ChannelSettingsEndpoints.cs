using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Notiflows.Server.Api.UserSettings;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;

namespace Notiflows.Server.Api.Admin.Users;

/// <summary>A user's channel settings and web-push channel subscriptions (§6.3), the user named by external id.</summary>
public static class ChannelSettingsEndpoints
{
    public static void MapChannelSettingsEndpoints(this RouteGroupBuilder root, RouteNames names)
    {
        var settings = root.MapGroup("/users/{user_id}/channel-settings/{channel_id}").WithTags("Admin: channel settings");
        settings.MapGet("", GetSettings).WithName(names.Of("GetChannelSettings")).WithSummary("A user's settings for a channel.");
        settings.MapPut("", PutSettings).WithName(names.Of("PutChannelSettings")).WithSummary("Replace (upsert) a user's settings for a channel.")
            .WithRequestBody<ChannelSettingsBody>();
        settings.MapDelete("", DeleteSettings).WithName(names.Of("DeleteChannelSettings")).WithSummary("Remove a user's settings for a channel (idempotent).");
        var subscriptions = root.MapGroup("/users/{user_id}/channel-subscriptions/{channel_id}").WithTags("Admin: channel settings");
        subscriptions.MapGet("", ListSubscriptions).WithName(names.Of("ListChannelSubscriptions")).WithSummary("A user's web-push subscriptions on a channel.");
        subscriptions.MapPost("", PostSubscription).WithName(names.Of("PostChannelSubscription"))
            .WithSummary("Add or update a web-push subscription by identifier.").WithRequestBody<ChannelSubscriptionBody>();
        subscriptions.MapDelete("", DeleteSubscription).WithName(names.Of("DeleteChannelSubscription"))
            .WithSummary("Remove a web-push subscription by identifier (idempotent).").WithRequestBody<ChannelSubscriptionIdentifierBody>();
    }

    private static Task<Results<Ok<ChannelSettingsResponse>, ApiError>> GetSettings([FromRoute(Name = "user_id")] string userId,
        [FromRoute(Name = "channel_id")] string channelId, HttpContext http, ChannelSettingsService service, CancellationToken ct) =>
        service.GetAsync(UserTarget.Named(http, userId), channelId, ct);

    private static Task<Results<Ok<ChannelSettingsResponse>, Created<ChannelSettingsResponse>, ApiError>> PutSettings(
        [FromRoute(Name = "user_id")] string userId, [FromRoute(Name = "channel_id")] string channelId, HttpContext http,
        ChannelSettingsService service, CancellationToken ct) =>
        service.PutAsync(UserTarget.Named(http, userId), channelId, http.Request, ct);

    private static Task<Results<NoContent, ApiError>> DeleteSettings([FromRoute(Name = "user_id")] string userId,
        [FromRoute(Name = "channel_id")] string channelId, HttpContext http, ChannelSettingsService service, CancellationToken ct) =>
        service.DeleteAsync(UserTarget.Named(http, userId), channelId, ct);

    private static Task<Results<Ok<ChannelSubscriptionList>, ApiError>> ListSubscriptions([FromRoute(Name = "user_id")] string userId,
        [FromRoute(Name = "channel_id")] string channelId, HttpContext http, ChannelSubscriptionService service, CancellationToken ct) =>
        service.ListAsync(UserTarget.Named(http, userId), channelId, ct);

    private static Task<Results<Ok<ChannelSubscriptionResponse>, Created<ChannelSubscriptionResponse>, ApiError>> PostSubscription(
        [FromRoute(Name = "user_id")] string userId, [FromRoute(Name = "channel_id")] string channelId, HttpContext http,
        ChannelSubscriptionService service, CancellationToken ct) =>
        service.PostAsync(UserTarget.Named(http, userId), channelId, http.Request, ct);

    private static Task<Results<NoContent, ApiError>> DeleteSubscription([FromRoute(Name = "user_id")] string userId,
        [FromRoute(Name = "channel_id")] string channelId, HttpContext http, ChannelSubscriptionService service, CancellationToken ct) =>
        service.DeleteAsync(UserTarget.Named(http, userId), channelId, http.Request, ct);
}
