using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Storage.Channels;
using Notiflows.Storage.Database;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Api.UserSettings;

/// <summary>The user and the channel (by id) a channel settings or channel subscriptions request names.</summary>
public sealed class ChannelSettingsTarget(UserTarget user, string channelParam, Guid channelId)
{
    public Guid ProjectId => user.ProjectId;

    /// <summary>Set by <see cref="FindAsync"/> when the user or the channel does not exist.</summary>
    public ApiError? NotFound { get; private set; }

    /// <summary>The target, or null for a channel id that is not a UUID (400 <c>invalid_uuid</c>).</summary>
    public static ChannelSettingsTarget? Parse(UserTarget user, string channelId) =>
        Guid.TryParse(channelId, out var id) ? new ChannelSettingsTarget(user, channelId, id) : null;

    /// <summary>The target (400 for a channel id that is not a UUID) and the JSON body (400/413) of a write.</summary>
    public static async Task<(JsonElement Body, ChannelSettingsTarget? Target, ApiError? Error)> ReadAsync(
        UserTarget user, string channelId, HttpRequest request, long bodyLimit, CancellationToken ct)
    {
        if (Parse(user, channelId) is not { } target)
        {
            return (default, null, ApiError.InvalidUuid("channel_id"));
        }
        var (body, bodyError) = await JsonBody.ReadAsync(request, bodyLimit, ct);
        return (body, target, bodyError);
    }

    /// <summary>
    /// A read of what the path names: 400 for a channel id that is not a UUID, 404 for a missing user or channel, else
    /// <paramref name="read"/> with the user and the channel, in one read transaction.
    /// </summary>
    public static async Task<Results<Ok<T>, ApiError>> LoadAsync<T>(
        Db db, UserTarget user, string channelId, Func<DbSession, UserRow, ChannelRow, Task<Results<Ok<T>, ApiError>>> read, CancellationToken ct)
    {
        if (Parse(user, channelId) is not { } target)
        {
            return ApiError.InvalidUuid("channel_id");
        }
        return await db.ReadAsync(async s =>
            await target.FindAsync(s, false, ct) is ({ } row, { } channel) ? await read(s, row, channel) : target.NotFound!, ct);
    }

    /// <summary>
    /// The user and the channel, or nulls (see <see cref="NotFound"/>). A write locks the user row, which serialises the
    /// writes of one user (the subscription cap holds), and the channel row, so a concurrent channel delete either sees
    /// this write's rows or makes this lookup miss.
    /// </summary>
    public async Task<(UserRow?, ChannelRow?)> FindAsync(DbSession s, bool write, CancellationToken ct)
    {
        if (await user.FindAsync(s, write, ct) is not { } row)
        {
            NotFound = user.Missing;
            return (null, null);
        }
        var channel = await ChannelStore.GetByIdAsync(s, user.ProjectId, channelId, ct);
        NotFound = channel is null ? ApiError.NotFound("channel", channelParam) : null;
        return (row, channel);
    }
}
