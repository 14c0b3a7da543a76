using Notiflows.Server.Auth;
using Notiflows.Server.Errors;
using Notiflows.Storage.Channels;
using Notiflows.Storage.Database;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Api.Admin.Users;

/// <summary>The user (by external id) and the channel (by id) a path names, in the caller's project.</summary>
internal sealed class ChannelSettingsTarget(Guid projectId, string userId, string channelParam, Guid channelId)
{
    public Guid ProjectId => projectId;

    /// <summary>Set by <see cref="FindAsync"/> when the user or the channel does not exist.</summary>
    public ApiError? NotFound { get; private set; }

    public static ChannelSettingsTarget? Parse(HttpContext http, string userId, string channelId) =>
        Guid.TryParse(channelId, out var id) ? new ChannelSettingsTarget(http.Project().Id, userId, channelId, id) : null;

    /// <summary>
    /// The user and the channel, or nulls (see <see cref="NotFound"/>). A write locks the user row, which serialises the
    /// writes of one user (the subscription cap holds), and the channel row, so a concurrent channel delete either sees
    /// this write's rows or makes this lookup miss.
    /// </summary>
    public async Task<(UserRow?, ChannelRow?)> FindAsync(DbSession s, bool write, CancellationToken ct)
    {
        var user = write
            ? (await UserStore.LockByExternalIdsAsync(s, projectId, [userId], ct)).FirstOrDefault()
            : await UserStore.GetByExternalIdAsync(s, projectId, userId, ct);
        if (user is null)
        {
            NotFound = ApiError.NotFound("user", userId);
            return (null, null);
        }
        var channel = await ChannelStore.GetByIdAsync(s, projectId, channelId, ct);
        NotFound = channel is null ? ApiError.NotFound("channel", channelParam) : null;
        return (user, channel);
    }
}
