using Microsoft.AspNetCore.Http.HttpResults;
using Notiflows.Server.Auth;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Users;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Api.Admin.Users;

/// <summary><c>DELETE /users/{external_id}</c> (§6.1): erase a user.</summary>
public static class UserDeleteEndpoint
{
    public static void MapUserDeleteEndpoint(this RouteGroupBuilder root, RouteNames names) =>
        root.MapDelete("/users/{user_id}", Delete).WithTags("Admin: users").WithName(names.Of("DeleteUser"))
            .WithSummary("Erase a user: personal data, subscriptions, settings and preferences; notifications keep a tombstone.");

    private static async Task<Results<NoContent, ApiError>> Delete(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "user_id")] string userId, HttpContext http, Db db, UserEraser eraser, TimeProvider time,
        CancellationToken ct)
    {
        userId = UserPaths.ExternalId(userId);
        var projectId = http.Project().Id;
        var erased = await db.WriteAsync(s => eraser.EraseAsync(s, projectId, userId, time.Now(), ct), ct);
        return erased ? TypedResults.NoContent() : ApiError.NotFound("user", userId);
    }
}
