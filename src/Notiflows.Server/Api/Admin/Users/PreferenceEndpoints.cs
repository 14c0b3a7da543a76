using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Notiflows.Server.Api.UserSettings;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;

namespace Notiflows.Server.Api.Admin.Users;

/// <summary>Preferences of a user (§6.4), the user named by external id: read, and update partially.</summary>
public static class PreferenceEndpoints
{
    public static void MapPreferenceEndpoints(this RouteGroupBuilder root, RouteNames names)
    {
        var g = root.MapGroup("/users/{user_id}/preferences").WithTags("Admin: preferences");
        g.MapGet("", Get).WithName(names.Of("GetUserPreferences")).WithSummary("A user's preferences.");
        g.MapPut("", Update).WithName(names.Of("UpdateUserPreferences")).WithSummary("Update a user's preferences (partial).")
            .WithRequestBody<PreferencesBody>();
    }

    private static Task<Results<Ok<PreferencesResponse>, ApiError>> Get(
        [FromRoute(Name = "user_id")] string userId, HttpContext http, PreferenceService service, CancellationToken ct) =>
        service.GetAsync(UserTarget.Named(http, userId), ct);

    private static Task<Results<Ok<PreferencesResponse>, ApiError>> Update(
        [FromRoute(Name = "user_id")] string userId, HttpContext http, PreferenceService service, CancellationToken ct) =>
        service.PutAsync(UserTarget.Named(http, userId), http.Request, ct);
}
