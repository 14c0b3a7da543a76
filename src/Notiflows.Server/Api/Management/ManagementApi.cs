using Notiflows.Server.Api.Management.Account;
using Notiflows.Server.Api.Management.Channels;
using Notiflows.Server.Api.Management.Notiflows;
using Notiflows.Server.Api.Management.Projects;
using Notiflows.Server.Auth;
using Notiflows.Server.Idempotency;

namespace Notiflows.Server.Api.Management;

/// <summary>
/// The Management API (§8) under <c>/management/v1</c> and its alias <c>/api/management/v1</c>. Project-level
/// endpoints exist twice in each: canonical <c>/projects/{project_slug}/…</c> and unprefixed (project from
/// header, query or default). Only the first base path appears in the OpenAPI document.
/// </summary>
public static class ManagementApi
{
    public static IServiceCollection AddManagementServices(this IServiceCollection services) => services
        .AddSingleton<NotiflowVersions>()
        .AddSingleton<NotiflowUpsert>()
        .AddSingleton<NotiflowLifecycle>()
        .AddSingleton<NotiflowTemplates>()
        .AddSingleton<NotiflowValidation>()
        .AddSingleton<ChannelWriter>();

    public static void MapManagementApi(this IEndpointRouteBuilder app)
    {
        foreach (var (basePath, names) in new[] { ("/management/v1", new RouteNames("")), ("/api/management/v1", new RouteNames("Alias")) })
        {
            var root = app.MapGroup(basePath).AddEndpointFilter<ManagementAuthFilter>();
            if (names.Suffix.Length > 0)
            {
                root.ExcludeFromDescription();
            }
            var account = root.MapGroup("").AddEndpointFilter<IdempotencyFilter>();
            account.MapAccountEndpoints(names);
            account.MapProjectEndpoints(names);
            foreach (var (group, suffix) in new[] { (root.MapGroup("/projects/{project_slug}"), "InProject"), (root.MapGroup(""), "") })
            {
                group.AddEndpointFilter<ProjectScopeFilter>().AddEndpointFilter<IdempotencyFilter>();
                group.MapNotiflowEndpoints(names.With(suffix));
                group.MapChannelEndpoints(names.With(suffix));
            }
        }
    }
}
