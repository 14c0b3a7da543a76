using Notiflows.Server.Errors;
using Notiflows.Storage.Database;
using Notiflows.Storage.Projects;

namespace Notiflows.Server.Auth;

/// <summary>
/// Project resolution for project-level Management endpoints (§3.5): the path's <c>{project_slug}</c>, else the
/// <c>x-notiflows-project</c> header, else <c>?project=</c>, else the account's default project.
/// </summary>
public sealed class ProjectScopeFilter(Db db) : IEndpointFilter
{
    public const string RouteKey = "project_slug";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var ct = http.RequestAborted;
        var caller = http.Management();
        var slug = http.Request.RouteValues[RouteKey] as string;
        if (string.IsNullOrEmpty(slug))
        {
            slug = http.Request.Headers["x-notiflows-project"].ToString();
        }
        if (string.IsNullOrEmpty(slug))
        {
            slug = http.Request.Query["project"].ToString();
        }
        var project = string.IsNullOrEmpty(slug)
            ? await db.ReadAsync(s => ProjectStore.GetDefaultAsync(s, caller.AccountId, ct), ct)
            : await db.ReadAsync(s => ProjectStore.GetBySlugAsync(s, caller.AccountId, slug, ct), ct);
        if (project is null)
        {
            return ApiError.NotFound("project", slug);
        }
        http.Features.Set(new ProjectScope(project));
        return await next(context);
    }
}
