using Notiflows.Storage.Projects;

namespace Notiflows.Server.Auth;

/// <summary>The account token that authenticated a Management API request.</summary>
public sealed record ManagementCaller(Guid AccountId, Guid TokenId, string TokenName);

/// <summary>The project a request acts on: from the Management API's project resolution or the Admin API's keys.</summary>
public sealed record ProjectScope(ProjectRow Project);

/// <summary>Typed access to what the auth filters established for the request.</summary>
public static class CallerContext
{
    public static ManagementCaller Management(this HttpContext context) =>
        context.Features.Get<ManagementCaller>() ?? throw new InvalidOperationException("No Management caller on this request.");

    public static UserCaller EndUser(this HttpContext context) =>
        context.Features.Get<UserCaller>() ?? throw new InvalidOperationException("No user on this request.");

    public static ProjectRow Project(this HttpContext context) =>
        context.Features.Get<ProjectScope>()?.Project ?? throw new InvalidOperationException("No project on this request.");
}
