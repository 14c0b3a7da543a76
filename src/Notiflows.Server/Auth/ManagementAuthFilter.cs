using Notiflows.Core.Secrets;
using Notiflows.Server.Errors;
using Notiflows.Server.RateLimits;
using Notiflows.Storage.Accounts;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Auth;

/// <summary>
/// Management API authentication (§3.5): <c>Authorization: Bearer nf_at_…</c>, looked up by its SHA-256 hash and
/// compared in constant time; records <c>last_used_at</c> at most once a minute; then the token's rate limit.
/// </summary>
public sealed class ManagementAuthFilter(Db db, TimeProvider time, RateLimiter limiter) : IEndpointFilter
{
    private const string Prefix = "Bearer ";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var ct = http.RequestAborted;
        var header = http.Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) || !Credentials.IsWellFormed(header[Prefix.Length..].Trim(), "nf_at_"))
        {
            return ApiError.Unauthenticated("account_token", "Missing or malformed account token");
        }
        var hash = Credentials.Hash(header[Prefix.Length..].Trim());
        var token = await db.ReadAsync(s => AccountStore.GetTokenByHashAsync(s, hash, ct), ct);
        if (token is null || !Credentials.HashEquals(token.TokenHash, hash))
        {
            return ApiError.Unauthenticated("account_token", "Invalid account token");
        }
        var now = time.GetUtcNow();
        if (token.LastUsedAt is null || token.LastUsedAt <= now.AddMinutes(-1))
        {
            await db.WriteAsync(s => AccountStore.TouchTokenAsync(s, token.Id, now, ct), ct);
        }
        if (limiter.Apply(http, "Management", token.Id.ToString()) is { } limited)
        {
            return limited;
        }
        http.Features.Set(new ManagementCaller(token.AccountId, token.Id, token.Name));
        return await next(context);
    }
}
