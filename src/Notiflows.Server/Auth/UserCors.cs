namespace Notiflows.Server.Auth;

/// <summary>
/// CORS for the User API and realtime endpoints (§3.4). Preflights are answered for any origin — the project is unknown
/// before the real request, which then enforces the project's allowed origins; responses to an allowed origin name it.
/// The Admin and Management APIs have no CORS support: they are for servers.
/// </summary>
public sealed class UserCors(RequestDelegate next)
{
    private const string AllowedHeaders =
        "content-type, x-notiflows-api-key, x-notiflows-user-key, x-notiflows-user-id, x-request-id, idempotency-key, last-event-id";

    public static bool IsUserSurface(PathString path) =>
        path.StartsWithSegments("/user/v1", StringComparison.Ordinal) || path.StartsWithSegments("/ws/v1", StringComparison.Ordinal);

    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsOptions(request.Method) && IsUserSurface(request.Path) && request.Headers.Origin.ToString() is { Length: > 0 } origin)
        {
            var headers = context.Response.Headers;
            headers.AccessControlAllowOrigin = origin;
            headers.Vary = "Origin";
            headers.AccessControlAllowMethods = "GET, POST, PUT, PATCH, DELETE";
            headers.AccessControlAllowHeaders = AllowedHeaders;
            headers.AccessControlMaxAge = "600";
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        }
        return next(context);
    }

    /// <summary>Marks a response to an allowed origin readable by that origin's scripts, with the headers they may read.</summary>
    public static void AllowResponse(HttpContext context, string origin)
    {
        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = origin;
        headers.Vary = "Origin";
        headers.AccessControlExposeHeaders = "x-request-id, retry-after, ratelimit-limit, ratelimit-remaining, ratelimit-reset";
    }
}
