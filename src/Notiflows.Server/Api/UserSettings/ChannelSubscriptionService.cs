using Microsoft.AspNetCore.Http.HttpResults;
using Notiflows.Core.Channels;
using Notiflows.Core.Common;
using Notiflows.Core.Users;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Startup;
using Notiflows.Storage.Database;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Api.UserSettings;

/// <summary>
/// A user's web-push channel subscriptions on one channel (§5.7): list, add or update by identifier, remove. One
/// implementation behind the Admin API (<c>/users/{user_id}/channel-subscriptions/{channel_id}</c>, §6.3) and the User API
/// (<c>/channels/{channel_id}/subscriptions</c>, §7.1).
/// </summary>
public sealed class ChannelSubscriptionService(Db db, IdGenerator ids, TimeProvider time, ServerSettings settings)
{
    public Task<Results<Ok<ChannelSubscriptionList>, ApiError>> ListAsync(UserTarget user, string channelId, CancellationToken ct) =>
        ChannelSettingsTarget.LoadAsync<ChannelSubscriptionList>(db, user, channelId, async (s, row, channel) =>
            TypedResults.Ok(new ChannelSubscriptionList(
                (await ChannelSettingsStore.ListSubscriptionsAsync(s, row.Id, channel.Id, ct)).Select(ChannelSubscriptionResponse.From).ToList())), ct);

    /// <summary>Adds a subscription (201), or updates the one with the same identifier in place (200).</summary>
    public async Task<Results<Ok<ChannelSubscriptionResponse>, Created<ChannelSubscriptionResponse>, ApiError>> PostAsync(
        UserTarget user, string channelId, HttpRequest request, CancellationToken ct)
    {
        var (body, target, error) = await ChannelSettingsTarget.ReadAsync(user, channelId, request, settings.BodyLimit, ct);
        if (error is not null)
        {
            return error;
        }
        var errors = new List<FieldError>();
        var input = WebPushRules.Parse(body, errors);
        return await db.WriteAsync<Results<Ok<ChannelSubscriptionResponse>, Created<ChannelSubscriptionResponse>, ApiError>>(async s =>
        {
            if (await target!.FindAsync(s, true, ct) is not ({ } row, { } channel))
            {
                return target.NotFound!;
            }
            // A fresh list: a transaction run again (PostgreSQL deadlock retry) must not report the channel twice.
            var found = new List<FieldError>(errors);
            if (channel.Type != ChannelTypes.WebPush)
            {
                found.Insert(0, new FieldError("channel_id", "only web_push channels take channel subscriptions", Reasons.NotAllowed));
            }
            if (found.Count > 0)
            {
                return ApiError.Validation(found);
            }
            var now = time.Now();
            var settingsText = input!.Settings.ToJsonString();
            if (await ChannelSettingsStore.GetSubscriptionAsync(s, row.Id, channel.Id, input.Identifier, ct) is { } existing)
            {
                if (existing.Settings != settingsText)
                {
                    existing.Settings = settingsText;
                    existing.UpdatedAt = now;
                    await ChannelSettingsStore.UpdateSubscriptionAsync(s, existing, ct);
                }
                return TypedResults.Ok(ChannelSubscriptionResponse.From(existing));
            }
            if (await ChannelSettingsStore.CountSubscriptionsAsync(s, row.Id, channel.Id, ct) >= WebPushRules.MaxSubscriptions)
            {
                return ApiError.Validation("identifier", $"the user already has the maximum of {WebPushRules.MaxSubscriptions} subscriptions on this channel",
                    Reasons.TooMany);
            }
            var subscription = new ChannelSubscriptionRow
            {
                Id = ids.New(), ProjectId = target.ProjectId, UserId = row.Id, ChannelId = channel.Id, Identifier = input.Identifier,
                Settings = settingsText, CreatedAt = now, UpdatedAt = now,
            };
            await ChannelSettingsStore.InsertSubscriptionAsync(s, subscription, ct);
            return TypedResults.Created((string?)null, ChannelSubscriptionResponse.From(subscription));
        }, ct);
    }

    /// <summary>Removes the subscription with the body's identifier; idempotent.</summary>
    public async Task<Results<NoContent, ApiError>> DeleteAsync(UserTarget user, string channelId, HttpRequest request, CancellationToken ct)
    {
        var (body, target, error) = await ChannelSettingsTarget.ReadAsync(user, channelId, request, settings.BodyLimit, ct);
        if (error is not null)
        {
            return error;
        }
        var errors = new List<FieldError>();
        var identifier = WebPushRules.Identifier(body, errors);
        return await db.WriteAsync<Results<NoContent, ApiError>>(async s =>
        {
            if (await target!.FindAsync(s, true, ct) is not ({ } row, { } channel))
            {
                return target.NotFound!;
            }
            if (identifier is null)
            {
                return ApiError.Validation(errors);
            }
            await ChannelSettingsStore.DeleteSubscriptionAsync(s, row.Id, channel.Id, identifier, ct);
            return TypedResults.NoContent();
        }, ct);
    }
}
