using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Notiflows.Core.Channels;
using Notiflows.Core.Common;
using Notiflows.Core.Users;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Startup;
using Notiflows.Storage.Database;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Api.Admin.Users;

/// <summary>A user's channel settings and web-push channel subscriptions (§6.3).</summary>
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

    private static async Task<Results<Ok<ChannelSettingsResponse>, ApiError>> GetSettings(
        [FromRoute(Name = "user_id")] string userId, [FromRoute(Name = "channel_id")] string channelId, HttpContext http, Db db, CancellationToken ct)
    {
        if (ChannelSettingsTarget.Parse(http, userId, channelId) is not { } path)
        {
            return ApiError.InvalidUuid("channel_id");
        }
        return await db.ReadAsync<Results<Ok<ChannelSettingsResponse>, ApiError>>(async s =>
        {
            if (await path.FindAsync(s, false, ct) is not ({ } user, { } channel))
            {
                return path.NotFound!;
            }
            var row = await ChannelSettingsStore.GetAsync(s, user.Id, channel.Id, ct);
            return row is null ? ApiError.NotFound("channel_settings", channelId) : TypedResults.Ok(ChannelSettingsResponse.From(row, channel));
        }, ct);
    }

    private static async Task<Results<Ok<ChannelSettingsResponse>, Created<ChannelSettingsResponse>, ApiError>> PutSettings(
        [FromRoute(Name = "user_id")] string userId, [FromRoute(Name = "channel_id")] string channelId, HttpContext http, Db db, TimeProvider time,
        ServerSettings settings, CancellationToken ct)
    {
        var (body, path, error) = await ReadAsync(http, userId, channelId, settings, ct);
        if (error is not null)
        {
            return error;
        }
        return await db.WriteAsync<Results<Ok<ChannelSettingsResponse>, Created<ChannelSettingsResponse>, ApiError>>(async s =>
        {
            if (await path!.FindAsync(s, true, ct) is not ({ } user, { } channel))
            {
                return path.NotFound!;
            }
            var errors = new List<FieldError>();
            var blob = ChannelSettingsRules.Validate(channel.Type, channel.Provider, new ObjectReader(body, "", errors).Raw("settings"), "settings", errors);
            if (blob is null)
            {
                return ApiError.Validation(errors);
            }
            var (row, created) = await ChannelSettingsStore.UpsertAsync(s, path.ProjectId, user.Id, channel.Id, blob.ToJsonString(), time.Now(), ct);
            var response = ChannelSettingsResponse.From(row, channel);
            return created ? TypedResults.Created((string?)null, response) : TypedResults.Ok(response);
        }, ct);
    }

    private static async Task<Results<NoContent, ApiError>> DeleteSettings(
        [FromRoute(Name = "user_id")] string userId, [FromRoute(Name = "channel_id")] string channelId, HttpContext http, Db db, CancellationToken ct)
    {
        if (ChannelSettingsTarget.Parse(http, userId, channelId) is not { } path)
        {
            return ApiError.InvalidUuid("channel_id");
        }
        return await db.WriteAsync<Results<NoContent, ApiError>>(async s =>
        {
            if (await path.FindAsync(s, true, ct) is not ({ } user, { } channel))
            {
                return path.NotFound!;
            }
            await ChannelSettingsStore.DeleteAsync(s, user.Id, channel.Id, ct);
            return TypedResults.NoContent();
        }, ct);
    }

    private static async Task<Results<Ok<ChannelSubscriptionList>, ApiError>> ListSubscriptions(
        [FromRoute(Name = "user_id")] string userId, [FromRoute(Name = "channel_id")] string channelId, HttpContext http, Db db, CancellationToken ct)
    {
        if (ChannelSettingsTarget.Parse(http, userId, channelId) is not { } path)
        {
            return ApiError.InvalidUuid("channel_id");
        }
        return await db.ReadAsync<Results<Ok<ChannelSubscriptionList>, ApiError>>(async s =>
        {
            if (await path.FindAsync(s, false, ct) is not ({ } user, { } channel))
            {
                return path.NotFound!;
            }
            var rows = await ChannelSettingsStore.ListSubscriptionsAsync(s, user.Id, channel.Id, ct);
            return TypedResults.Ok(new ChannelSubscriptionList(rows.Select(ChannelSubscriptionResponse.From).ToList()));
        }, ct);
    }

    private static async Task<Results<Ok<ChannelSubscriptionResponse>, Created<ChannelSubscriptionResponse>, ApiError>> PostSubscription(
        [FromRoute(Name = "user_id")] string userId, [FromRoute(Name = "channel_id")] string channelId, HttpContext http, Db db, IdGenerator ids,
        TimeProvider time, ServerSettings settings, CancellationToken ct)
    {
        var (body, path, error) = await ReadAsync(http, userId, channelId, settings, ct);
        if (error is not null)
        {
            return error;
        }
        var errors = new List<FieldError>();
        var input = WebPushRules.Parse(body, errors);
        return await db.WriteAsync<Results<Ok<ChannelSubscriptionResponse>, Created<ChannelSubscriptionResponse>, ApiError>>(async s =>
        {
            if (await path!.FindAsync(s, true, ct) is not ({ } user, { } channel))
            {
                return path.NotFound!;
            }
            if (channel.Type != ChannelTypes.WebPush)
            {
                errors.Insert(0, new FieldError("channel_id", "only web_push channels take channel subscriptions", Reasons.NotAllowed));
            }
            if (errors.Count > 0)
            {
                return ApiError.Validation(errors);
            }
            var now = time.Now();
            var settingsText = input!.Settings.ToJsonString();
            if (await ChannelSettingsStore.GetSubscriptionAsync(s, user.Id, channel.Id, input.Identifier, ct) is { } existing)
            {
                if (existing.Settings != settingsText)
                {
                    existing.Settings = settingsText;
                    existing.UpdatedAt = now;
                    await ChannelSettingsStore.UpdateSubscriptionAsync(s, existing, ct);
                }
                return TypedResults.Ok(ChannelSubscriptionResponse.From(existing));
            }
            if (await ChannelSettingsStore.CountSubscriptionsAsync(s, user.Id, channel.Id, ct) >= WebPushRules.MaxSubscriptions)
            {
                return ApiError.Validation("identifier", $"the user already has the maximum of {WebPushRules.MaxSubscriptions} subscriptions on this channel",
                    Reasons.TooMany);
            }
            var row = new ChannelSubscriptionRow
            {
                Id = ids.New(), ProjectId = path.ProjectId, UserId = user.Id, ChannelId = channel.Id, Identifier = input.Identifier,
                Settings = settingsText, CreatedAt = now, UpdatedAt = now,
            };
            await ChannelSettingsStore.InsertSubscriptionAsync(s, row, ct);
            return TypedResults.Created((string?)null, ChannelSubscriptionResponse.From(row));
        }, ct);
    }

    private static async Task<Results<NoContent, ApiError>> DeleteSubscription(
        [FromRoute(Name = "user_id")] string userId, [FromRoute(Name = "channel_id")] string channelId, HttpContext http, Db db,
        ServerSettings settings, CancellationToken ct)
    {
        var (body, path, error) = await ReadAsync(http, userId, channelId, settings, ct);
        if (error is not null)
        {
            return error;
        }
        var errors = new List<FieldError>();
        var identifier = WebPushRules.Identifier(body, errors);
        return await db.WriteAsync<Results<NoContent, ApiError>>(async s =>
        {
            if (await path!.FindAsync(s, true, ct) is not ({ } user, { } channel))
            {
                return path.NotFound!;
            }
            if (identifier is null)
            {
                return ApiError.Validation(errors);
            }
            await ChannelSettingsStore.DeleteSubscriptionAsync(s, user.Id, channel.Id, identifier, ct);
            return TypedResults.NoContent();
        }, ct);
    }

    /// <summary>The path (400 for a channel id that is not a UUID) and the JSON body (400/413) of a write.</summary>
    private static async Task<(JsonElement Body, ChannelSettingsTarget? Path, ApiError? Error)> ReadAsync(
        HttpContext http, string userId, string channelId, ServerSettings settings, CancellationToken ct)
    {
        if (ChannelSettingsTarget.Parse(http, userId, channelId) is not { } path)
        {
            return (default, null, ApiError.InvalidUuid("channel_id"));
        }
        var (body, bodyError) = await JsonBody.ReadAsync(http.Request, settings.BodyLimit, ct);
        return (body, path, bodyError);
    }
}
