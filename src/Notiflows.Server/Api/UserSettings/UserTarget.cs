using Notiflows.Server.Auth;
using Notiflows.Server.Errors;
using Notiflows.Storage.Database;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Api.UserSettings;

/// <summary>
/// The user whose settings a request reads or writes, in the caller's project: named by external id in an Admin path
/// (404 <c>user</c> when there is none), or the authenticated user of the User API (deleted since authentication: the
/// 401 authentication itself would now answer).
/// </summary>
public sealed record UserTarget(Guid ProjectId, string ExternalId, ApiError Missing)
{
    public static UserTarget Named(HttpContext http, string userId) => new(http.Project().Id, userId, ApiError.NotFound("user", userId));

    public static UserTarget Current(HttpContext http)
    {
        var caller = http.EndUser();
        return new(caller.Project.Id, caller.User.ExternalId,
            ApiError.Unauthenticated(caller.KeyExpiresAt is null ? "user_id" : "user_key", "User not found"));
    }

    /// <summary>The user row, or null; a write locks it, which serialises the writes of one user.</summary>
    public async Task<UserRow?> FindAsync(DbSession s, bool write, CancellationToken ct) => write
        ? (await UserStore.LockByExternalIdsAsync(s, ProjectId, [ExternalId], ct)).FirstOrDefault()
        : await UserStore.GetByExternalIdAsync(s, ProjectId, ExternalId, ct);
}
