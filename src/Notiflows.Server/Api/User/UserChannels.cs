using Notiflows.Core.Channels;
using Notiflows.Server.Errors;
using Notiflows.Storage.Channels;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Api.User;

/// <summary>The <c>{channel_id}</c> of a User API path (§7): a UUID (400) of a channel of the project (404), in-app for feeds (400).</summary>
public static class UserChannels
{
    public static async Task<(ChannelRow? Channel, ApiError? Error)> FindAsync(
        DbSession s, Guid projectId, string channelId, bool inApp, CancellationToken ct)
    {
        if (!Guid.TryParse(channelId, out var id))
        {
            return (null, ApiError.InvalidUuid("channel_id"));
        }
        var channel = await ChannelStore.GetByIdAsync(s, projectId, id, ct);
        if (channel is null)
        {
            return (null, ApiError.NotFound("channel", channelId));
        }
        return inApp && channel.Type != ChannelTypes.InApp ? (null, ApiError.InvalidParam("channel_id")) : (channel, null);
    }
}
