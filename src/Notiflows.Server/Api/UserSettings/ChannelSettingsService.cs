using Microsoft.AspNetCore.Http.HttpResults;
using Notiflows.Core.Common;
using Notiflows.Core.Users;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Startup;
using Notiflows.Storage.Database;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Api.UserSettings;

/// <summary>
/// A user's settings for one channel (§5.6, §14.3): get, replace, remove. One implementation behind the Admin API
/// (<c>/users/{user_id}/channel-settings/{channel_id}</c>, §6.3) and the User API (<c>/channels/{channel_id}/settings</c>, §7.1).
/// </summary>
public sealed class ChannelSettingsService(Db db, TimeProvider time, ServerSettings settings)
{
    public Task<Results<Ok<ChannelSettingsResponse>, ApiError>> GetAsync(UserTarget user, string channelId, CancellationToken ct) =>
        ChannelSettingsTarget.LoadAsync<ChannelSettingsResponse>(db, user, channelId, async (s, row, channel) =>
            await ChannelSettingsStore.GetAsync(s, row.Id, channel.Id, ct) is { } stored
                ? TypedResults.Ok(ChannelSettingsResponse.From(stored, channel))
                : ApiError.NotFound("channel_settings", channelId), ct);

    /// <summary>Replaces the settings as a whole: 201 when the user had none for the channel, else 200.</summary>
    public async Task<Results<Ok<ChannelSettingsResponse>, Created<ChannelSettingsResponse>, ApiError>> PutAsync(
        UserTarget user, string channelId, HttpRequest request, CancellationToken ct)
    {
        var (body, target, error) = await ChannelSettingsTarget.ReadAsync(user, channelId, request, settings.BodyLimit, ct);
        if (error is not null)
        {
            return error;
        }
        return await db.WriteAsync<Results<Ok<ChannelSettingsResponse>, Created<ChannelSettingsResponse>, ApiError>>(async s =>
        {
            if (await target!.FindAsync(s, true, ct) is not ({ } row, { } channel))
            {
                return target.NotFound!;
            }
            var errors = new List<FieldError>();
            var blob = ChannelSettingsRules.Validate(channel.Type, channel.Provider, new ObjectReader(body, "", errors).Raw("settings"), "settings", errors);
            if (blob is null)
            {
                return ApiError.Validation(errors);
            }
            var (stored, created) = await ChannelSettingsStore.UpsertAsync(s, target.ProjectId, row.Id, channel.Id, blob.ToJsonString(), time.Now(), ct);
            var response = ChannelSettingsResponse.From(stored, channel);
            return created ? TypedResults.Created((string?)null, response) : TypedResults.Ok(response);
        }, ct);
    }

    /// <summary>Removes the settings; idempotent.</summary>
    public async Task<Results<NoContent, ApiError>> DeleteAsync(UserTarget user, string channelId, CancellationToken ct)
    {
        if (ChannelSettingsTarget.Parse(user, channelId) is not { } target)
        {
            return ApiError.InvalidUuid("channel_id");
        }
        return await db.WriteAsync<Results<NoContent, ApiError>>(async s =>
        {
            if (await target.FindAsync(s, true, ct) is not ({ } row, { } channel))
            {
                return target.NotFound!;
            }
            await ChannelSettingsStore.DeleteAsync(s, row.Id, channel.Id, ct);
            return TypedResults.NoContent();
        }, ct);
    }
}
