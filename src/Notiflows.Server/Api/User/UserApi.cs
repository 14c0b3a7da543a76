using Microsoft.AspNetCore.Http.HttpResults;
using Notiflows.Server.Api.Management.Channels;
using Notiflows.Server.Api.User.Feed;
using Notiflows.Server.Auth;
using Notiflows.Storage.Channels;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Api.User;

public sealed record ChannelItems(IReadOnlyList<ChannelResponse> Items);

/// <summary>The User API (§7) under <c>/user/v1</c>: the authenticated end user's own data only.</summary>
public static class UserApi
{
    public static void MapUserApi(this IEndpointRouteBuilder app)
    {
        var root = app.MapGroup("/user/v1").AddEndpointFilter<UserAuthFilter>().WithTags("User API");
        root.MapGet("/channels", Channels).WithName("UserListChannels")
            .WithSummary("The project's channels without config (to discover the in-app channel id).");
        root.MapFeedEndpoints();
        root.MapUserSettingsEndpoints();
    }

    private static async Task<Ok<ChannelItems>> Channels(HttpContext http, Db db, CancellationToken ct)
    {
        var projectId = http.Project().Id;
        var rows = await db.ReadAsync(s => ChannelStore.AllAsync(s, projectId, ct), ct);
        return TypedResults.Ok(new ChannelItems(rows.OrderByDescending(c => c.Id).Select(ChannelViews.WithoutConfig).ToList()));
    }
}
