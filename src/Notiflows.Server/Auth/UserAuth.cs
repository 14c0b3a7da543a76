using System.Text.Json;
using Notiflows.Core.Secrets;
using Notiflows.Server.Api.Management.Projects;
using Notiflows.Server.Errors;
using Notiflows.Server.RateLimits;
using Notiflows.Storage.Database;
using Notiflows.Storage.Projects;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Auth;

/// <summary>The end user a User API request (or realtime connection) acts for (§3.3).</summary>
public sealed record UserCaller(ProjectRow Project, UserRow User, DateTimeOffset? KeyExpiresAt);

/// <summary>
/// User API authentication (§3.3, §3.4) in the spec's order: the public key, then the request's Origin against the
/// project's allowed origins, then the user credential — an RS256 user key verified with the project's current signing
/// key or, in development mode only, <c>x-notiflows-user-id</c> — and the user must exist. Then the user's token
/// bucket (§4.6, keyed by project and user). The project row is read fresh on every request, so a new signing key or
/// a changed origin list applies at once on every node.
/// </summary>
public sealed class UserAuth(Db db, TimeProvider time, RateLimiter limiter, KeyCache cache)
{
    /// <summary>
    /// Authenticates the request; with <paramref name="allowQuery"/> (realtime, §3.6) the credentials may also come as
    /// <c>api_key</c>, <c>user_key</c>, <c>user_id</c> query parameters (headers win).
    /// </summary>
    public async Task<(UserCaller? Caller, ApiError? Error)> AuthenticateAsync(HttpContext http, bool allowQuery, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var publicKey = Credential(http, "x-notiflows-api-key", "api_key", allowQuery);
        if (publicKey is null || !Credentials.IsWellFormed(publicKey, "pk_"))
        {
            return (null, ApiError.Unauthenticated("api_key", publicKey is null ? "Missing public key" : "Invalid public key"));
        }
        var hash = Credentials.Hash(publicKey);
        var key = await cache.KeyAsync("public", Convert.ToHexString(hash), () => db.ReadAsync(s => ProjectStore.FindLiveKeyAsync(s, "public", hash, now, ct), ct));
        if (key is null || !Credentials.HashEquals(key.KeyHash, hash))
        {
            return (null, ApiError.Unauthenticated("api_key", "Invalid public key"));
        }
        var project = await db.ReadAsync(s => ProjectStore.GetByIdAsync(s, key.ProjectId, ct), ct);
        if (project is null)
        {
            return (null, ApiError.Unauthenticated("api_key", "Invalid public key"));
        }
        if (http.Request.Headers.Origin.ToString() is { Length: > 0 } origin)
        {
            if (!IsAllowed(project, origin))
            {
                return (null, ApiError.Forbidden("origin_not_allowed", "Origin not allowed for this project"));
            }
            UserCors.AllowResponse(http, origin);
        }
        var (externalId, expiresAt, error) = Identify(http, project, allowQuery, now);
        if (error is not null)
        {
            return (null, error);
        }
        var user = await db.ReadAsync(s => UserStore.GetByExternalIdAsync(s, project.Id, externalId!, ct), ct);
        if (user is null)
        {
            return (null, ApiError.Unauthenticated(expiresAt is null ? "user_id" : "user_key", "User not found"));
        }
        if (limiter.Apply(http, "User", $"{project.Id}:{user.Id}") is { } limited)
        {
            return (null, limited);
        }
        return (new UserCaller(project, user, expiresAt), null);
    }

    /// <summary>
    /// Whether a connection's credentials still hold (§15.2, §15.3): null while they do, else why not —
    /// <c>token_expired</c> once the user key's exp (with leeway) passed, <c>credentials_revoked</c> when the user was
    /// deleted, the signing key replaced or the public key stopped working.
    /// </summary>
    public async Task<string?> RevalidateAsync(UserCaller caller, string publicKey, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (caller.KeyExpiresAt is { } exp && now - UserKeys.Leeway >= exp)
        {
            return "token_expired";
        }
        var hash = Credentials.Hash(publicKey);
        var valid = await db.ReadAsync(async s =>
            await ProjectStore.FindLiveKeyAsync(s, "public", hash, now, ct) is { } key && key.ProjectId == caller.Project.Id
            && await ProjectStore.GetByIdAsync(s, caller.Project.Id, ct) is { } project
            && (caller.KeyExpiresAt is null || project.SigningPublicKeyPem == caller.Project.SigningPublicKeyPem)
            && await UserStore.GetByExternalIdAsync(s, caller.Project.Id, caller.User.ExternalId, ct) is { } user && user.Id == caller.User.Id, ct);
        return valid ? null : "credentials_revoked";
    }

    /// <summary>The public key a request authenticated with (header, or for realtime the query parameter).</summary>
    public static string PublicKeyOf(HttpContext http, bool allowQuery) => Credential(http, "x-notiflows-api-key", "api_key", allowQuery) ?? "";

    /// <summary>The external id the credential proves (or names, in development mode), with the user key's expiry.</summary>
    private static (string? ExternalId, DateTimeOffset? ExpiresAt, ApiError? Error) Identify(HttpContext http, ProjectRow project, bool allowQuery, DateTimeOffset now)
    {
        var userKey = Credential(http, "x-notiflows-user-key", "user_key", allowQuery);
        if (userKey is null)
        {
            if (project.SecurityMode)
            {
                return (null, null, ApiError.Unauthenticated("user_key",
                    project.SigningPublicKeyPem is null ? "signing key not configured" : "Missing user key"));
            }
            return Credential(http, "x-notiflows-user-id", "user_id", allowQuery) is { } userId
                ? (userId, null, null)
                : (null, null, ApiError.Unauthenticated("user_id", "Missing user key or user id"));
        }
        // A user key is verified whenever it is sent, and a failed one is never replaced by x-notiflows-user-id.
        if (project.SigningPublicKeyPem is null)
        {
            return (null, null, ApiError.Unauthenticated("user_key", "signing key not configured"));
        }
        var verified = UserKeys.Verify(userKey, project.SigningPublicKeyPem, now);
        return verified.Subject is null
            ? (null, null, ApiError.Unauthenticated("user_key", $"Invalid user key: {verified.Error}"))
            : (verified.Subject, verified.ExpiresAt ?? DateTimeOffset.MaxValue, null);
    }

    private static bool IsAllowed(ProjectRow project, string origin)
    {
        var normalised = Origins.Normalise(origin);
        return normalised is not null
            && (JsonSerializer.Deserialize<List<string>>(project.AllowedOrigins) ?? []).Contains(normalised, StringComparer.Ordinal);
    }

    private static string? Credential(HttpContext http, string header, string query, bool allowQuery) =>
        http.Request.Headers[header].ToString() is { Length: > 0 } h ? h
        : allowQuery && http.Request.Query[query].ToString() is { Length: > 0 } q ? q
        : null;
}

/// <summary>Runs <see cref="UserAuth"/> before a User API endpoint and exposes the caller as <c>http.User()</c>.</summary>
public sealed class UserAuthFilter(UserAuth auth) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var (caller, error) = await auth.AuthenticateAsync(http, allowQuery: false, http.RequestAborted);
        if (error is not null)
        {
            return error;
        }
        http.Features.Set(caller!);
        http.Features.Set(new ProjectScope(caller!.Project));
        return await next(context);
    }
}
