using Notiflows.Server.Api.Admin.Channels;
using Notiflows.Server.Api.Admin.Deliveries;
using Notiflows.Server.Api.Admin.Notifications;
using Notiflows.Server.Api.Admin.Runs;
using Notiflows.Server.Api.Admin.Topics;
using Notiflows.Server.Api.Admin.Users;
using Notiflows.Server.Api.Runs;
using Notiflows.Server.Idempotency;
using Notiflows.Server.Auth;

namespace Notiflows.Server.Api.Admin;

/// <summary>The Admin API (§6) under <c>/admin/v1</c> and its aliases <c>/admin</c> and <c>/api/admin/v1</c>.</summary>
public static class AdminApi
{
    public static void MapAdminApi(this IEndpointRouteBuilder app)
    {
        foreach (var (basePath, names) in new[]
                 {
                     ("/admin/v1", new RouteNames("Admin")), ("/admin", new RouteNames("AdminAlias")), ("/api/admin/v1", new RouteNames("AdminApiAlias")),
                 })
        {
            var root = app.MapGroup(basePath).AddEndpointFilter<AdminAuthFilter>().AddEndpointFilter<IdempotencyFilter>();
            if (basePath != "/admin/v1")
            {
                root.ExcludeFromDescription();
            }
            root.MapAdminChannelEndpoints(names);
            root.MapAdminRunEndpoint(names);
            root.MapChannelSettingsEndpoints(names);
            root.MapAdminRunEndpoints(names);
            root.MapTopicEndpoints(names);
            root.MapUserEndpoints(names);
            root.MapUserDeleteEndpoint(names);
            root.MapPreferenceEndpoints(names);
            root.MapUserListEndpoints(names);
            root.MapNotificationEndpoints(names);
            root.MapDeliveryEndpoints(names);
        }
    }
}
