using Notiflows.Server.Tests.Api.Admin.ChannelSettings;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.User.Settings;

/// <summary>Helpers for the User API's preferences, channel settings and channel subscriptions (§7.1).</summary>
public abstract class UserSettingsTestBase<TFixture>(TFixture fixture) : ChannelSettingsTestBase<TFixture>(fixture) where TFixture : HostFixture
{
    /// <summary>How a test calls the User API as one user: a user key (secure mode) or <c>x-notiflows-user-id</c> (development mode).</summary>
    protected sealed record Me(TestProject Project, string? Key, string? Id);

    /// <summary>Whether the project is in development mode.</summary>
    public static TheoryData<bool> Modes => new() { false, true };

    /// <summary>The User API caller u1 of <paramref name="project"/> (default: a new project with users u1 and u2).</summary>
    protected async Task<Me> MeAsync(bool development, TestProject? project = null)
    {
        var p = project ?? await ProjectWithUsersAsync("u1", "u2");
        if (development)
        {
            await DevelopmentModeAsync(p);
            return new Me(p, null, "u1");
        }
        return new Me(p, UserKey(await SigningKeyAsync(p), "u1"), null);
    }

    protected Task<ApiResponse> Call(Me me, HttpMethod method, string path, string? body = null) =>
        AsUser(me.Project, method, path, me.Key, me.Id, body: body);

    protected static string MySettings(string channelId) => $"/user/v1/channels/{channelId}/settings";

    protected static string MySubscriptions(string channelId) => $"/user/v1/channels/{channelId}/subscriptions";

    protected const string MyPreferences = "/user/v1/preferences";
}
