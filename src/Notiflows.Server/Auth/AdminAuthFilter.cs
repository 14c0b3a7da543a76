using Notiflows.Core.Secrets;
using Notiflows.Server.Errors;
using Notiflows.Server.RateLimits;
using Notiflows.Storage.Database;
using Notiflows.Storage.Projects;

namespace Notiflows.Server.Auth;

/// <summary>
/// Admin API authentication (§3.2): the secret key names the project; a public key, when sent, must be known
/// (401 <c>api_key</c>) and of the same project (403 <c>wrong_project</c>). Then the secret key's rate limit.
/// </summary>
public sealed class AdminAuthFilter(Db db, TimeProvider time, RateLimiter limiter, KeyCache cache) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var ct = http.RequestAborted;
        var now = time.GetUtcNow();
        var publicKey = http.Request.Headers["x-notiflows-api-key"].ToString();
        ProjectKeyRow? pk = null;
        if (publicKey.Length > 0)
        {
            pk = await FindAsync("public", publicKey, now, ct);
            if (pk is null)
            {
                return ApiError.Unauthenticated("api_key", "Invalid public key");
            }
        }
        var secretKey = http.Request.Headers["x-notiflows-secret-key"].ToString();
        var sk = secretKey.Length > 0 ? await FindAsync("secret", secretKey, now, ct) : null;
        if (sk is null)
        {
            return ApiError.Unauthenticated("secret_key", secretKey.Length == 0 ? "Missing secret key" : "Invalid secret key");
        }
        if (pk is not null && pk.ProjectId != sk.ProjectId)
        {
            return ApiError.Forbidden("wrong_project", "The public key and the secret key belong to different projects");
        }
        if (limiter.Apply(http, "Admin", sk.Id.ToString()) is { } limited)
        {
            return limited;
        }
        var project = await cache.ProjectAsync(sk.ProjectId, () => db.ReadAsync(s => ProjectStore.GetByIdAsync(s, sk.ProjectId, ct), ct));
        http.Features.Set(new ProjectScope(project!));
        return await next(context);
    }

    private async Task<ProjectKeyRow?> FindAsync(string kind, string value, DateTimeOffset now, CancellationToken ct)
    {
        if (!Credentials.IsWellFormed(value, kind == "public" ? "pk_" : "sk_"))
        {
            return null;
        }
        var hash = Credentials.Hash(value);
        var row = await cache.KeyAsync(kind, Convert.ToHexString(hash), () => db.ReadAsync(s => ProjectStore.FindLiveKeyAsync(s, kind, hash, now, ct), ct));
        return row is not null && Credentials.HashEquals(row.KeyHash, hash) ? row : null;
    }
}
