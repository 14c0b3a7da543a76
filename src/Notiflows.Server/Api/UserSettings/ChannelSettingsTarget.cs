using System.Text.Json;
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
