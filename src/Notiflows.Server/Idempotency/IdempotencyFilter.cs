using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Routing.Patterns;
using Notiflows.Core.Common;
using Notiflows.Server.Api.Management.Notiflows;
using Notiflows.Server.Auth;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Idempotency;

/// <summary>
/// <c>Idempotency-Key</c> on every POST of the Admin and Management APIs (§4.7). The fingerprint is the method, the
/// operation (the route relative to its API and project, with a notiflow handle resolved to its id, so aliases and
/// handle/id forms are one operation) and the canonical JSON of the body. Replays return the stored status, body and
/// Location with <c>Idempotent-Replayed: true</c>; 401, 403, 429, 5xx and idempotency 409s are never stored.
/// </summary>
public sealed class IdempotencyFilter(Db db, TimeProvider time, IConfiguration config) : IEndpointFilter
{
    private static readonly string[] Prefixes = ["/api/management/v1", "/management/v1", "/api/admin/v1", "/admin/v1", "/admin"];
    // A reservation older than this whose request never completed (the node died) may be taken over.
    private static readonly TimeSpan Abandoned = TimeSpan.FromMinutes(1);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsPost(http.Request.Method) || !http.Request.Headers.TryGetValue("Idempotency-Key", out var values))
        {
            return await next(context);
        }
        var key = values.ToString();
        if (key.Length is < 1 or > 255 || key.Any(c => c is < ' ' or > '~'))
        {
            return ApiError.InvalidParam("Idempotency-Key");
        }
        var ct = http.RequestAborted;
        var scopeId = http.Features.Get<ProjectScope>()?.Project.Id ?? http.Management().AccountId;
        var fingerprint = await FingerprintAsync(http, scopeId, ct);
        if (fingerprint is null)
        {
            return await next(context); // a body too large to fingerprint: the handler answers 413
        }
        var now = time.Now();
        var hours = config.GetValue("Notiflows:Idempotency:RetentionHours", 24.0);
        var existing = await db.WriteAsync(s => ReserveAsync(s, scopeId, key, fingerprint, now, now.AddHours(hours), ct), ct);
        if (existing is not null)
        {
            return Replay(existing, key, fingerprint);
        }
        var reservation = new IdempotencyReservation(scopeId, key);
        http.Features.Set(reservation);
        var (status, body, location) = await CaptureAsync(context, next);
        if (!reservation.Completed)
        {
            var keep = status is not (401 or 403 or 429) && status < 500 && !(status == 409 && body.Contains("\"idempotency_key\"", StringComparison.Ordinal));
            await db.WriteAsync(s => keep
                ? s.ExecuteAsync("""
                    UPDATE idempotency_keys SET status = 'completed', response_status = @status, response_body = @body, location = @location
                    WHERE scope_id = @scopeId AND idem_key = @key
                    """, new { scopeId, key, status, body, location }, ct)
                : s.ExecuteAsync("DELETE FROM idempotency_keys WHERE scope_id = @scopeId AND idem_key = @key", new { scopeId, key }, ct), ct);
        }
        return Results.Empty;
    }

    /// <summary>Reserves the key, or returns the existing record when one is live.</summary>
    private static async Task<IdempotencyRecord?> ReserveAsync(
        DbSession s, Guid scopeId, string key, string fingerprint, DateTimeOffset now, DateTimeOffset expires, CancellationToken ct)
    {
        var existing = await s.QueryOneAsync<IdempotencyRecord>($"""
            SELECT fingerprint, status, response_status, response_body, location, created_at, expires_at FROM idempotency_keys
            WHERE scope_id = @scopeId AND idem_key = @key{s.ForUpdate}
            """, new { scopeId, key }, ct);
        if (existing is not null && existing.ExpiresAt > now && !(existing.Status == "in_progress" && existing.CreatedAt < now - Abandoned))
        {
            return existing;
        }
        await s.ExecuteAsync("DELETE FROM idempotency_keys WHERE scope_id = @scopeId AND idem_key = @key", new { scopeId, key }, ct);
        // Two first requests racing on PostgreSQL: the loser waits for the winner's insert, then sees its row (in progress or
        // completed) instead of failing on the primary key with a 500.
        var inserted = await s.ExecuteAsync("""
            INSERT INTO idempotency_keys (scope_id, idem_key, fingerprint, status, created_at, expires_at)
            VALUES (@scopeId, @key, @fingerprint, 'in_progress', @now, @expires)
            ON CONFLICT (scope_id, idem_key) DO NOTHING
            """, new { scopeId, key, fingerprint, now, expires }, ct);
        return inserted == 1 ? null : await s.QueryOneAsync<IdempotencyRecord>("""
            SELECT fingerprint, status, response_status, response_body, location, created_at, expires_at FROM idempotency_keys
            WHERE scope_id = @scopeId AND idem_key = @key
            """, new { scopeId, key }, ct);
    }

    private static IResult Replay(IdempotencyRecord record, string key, string fingerprint)
    {
        if (!string.Equals(record.Fingerprint, fingerprint, StringComparison.Ordinal))
        {
            return ApiError.Conflict("Idempotency-Key was used with a different request",
                ("idempotency_key", key), ("reason", "fingerprint_mismatch"));
        }
        if (record.Status != "completed")
        {
            return ApiError.Conflict("A request with this Idempotency-Key is still being processed",
                ("idempotency_key", key), ("reason", "in_progress"));
        }
        return new ReplayResult(record);
    }

    private static async Task<(int Status, string Body, string? Location)> CaptureAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var original = http.Response.Body;
        await using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            var result = await next(context);
            switch (result)
            {
                case IResult r:
                    await r.ExecuteAsync(http);
                    break;
                case null:
                    break;
                default:
                    await http.Response.WriteAsJsonAsync(result, JsonDefaults.Options);
                    break;
            }
        }
        finally
        {
            http.Response.Body = original;
        }
        buffer.Position = 0;
        var body = Encoding.UTF8.GetString(buffer.ToArray());
        await buffer.CopyToAsync(original);
        return (http.Response.StatusCode, body, http.Response.Headers.Location.ToString() is { Length: > 0 } l ? l : null);
    }

    private async Task<string?> FingerprintAsync(HttpContext http, Guid scopeId, CancellationToken ct)
    {
        var request = http.Request;
        if (request.ContentLength > JsonBody.DefaultLimit)
        {
            return null;
        }
        request.EnableBuffering();
        using var copy = new MemoryStream();
        await request.Body.CopyToAsync(copy, ct);
        request.Body.Position = 0;
        if (copy.Length > JsonBody.DefaultLimit)
        {
            return null;
        }
        string canonical;
        try
        {
            canonical = copy.Length == 0 ? "{}" : JsonCanonicalizer.Canonicalize(System.Text.Json.Nodes.JsonNode.Parse(copy.ToArray()));
        }
        catch (JsonException)
        {
            canonical = "raw:" + Convert.ToHexStringLower(SHA256.HashData(copy.ToArray()));
        }
        var operation = await OperationAsync(http, scopeId, ct);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{request.Method}\n{operation}\n{canonical}")));
    }

    /// <summary>The route relative to its API and project, with its parameters filled in (a notiflow handle as its id).</summary>
    private async Task<string> OperationAsync(HttpContext http, Guid scopeId, CancellationToken ct)
    {
        var pattern = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "";
        pattern = "/" + pattern.TrimStart('/');
        foreach (var prefix in Prefixes)
        {
            if (pattern.StartsWith(prefix + "/", StringComparison.Ordinal))
            {
                pattern = pattern[prefix.Length..];
                break;
            }
        }
        if (pattern.StartsWith("/projects/{project_slug}/", StringComparison.Ordinal))
        {
            pattern = pattern["/projects/{project_slug}".Length..];
        }
        var parameters = RoutePatternFactory.Parse(pattern).Parameters.Select(p => p.Name).ToList();
        foreach (var name in parameters)
        {
            var value = http.Request.RouteValues[name] as string ?? "";
            if (name is "handle" or "handle_or_id" && pattern.StartsWith("/notiflows/", StringComparison.Ordinal))
            {
                var notiflow = await db.ReadAsync(s => NotiflowLookup.FindAsync(s, scopeId, value, ct), ct);
                value = notiflow?.Id.ToString() ?? value;
            }
            pattern = pattern.Replace("{" + name + "}", Uri.EscapeDataString(value), StringComparison.Ordinal);
        }
        return pattern;
    }
}

public sealed class IdempotencyRecord
{
    public string Fingerprint { get; init; } = "";
    public string Status { get; init; } = "";
    public int? ResponseStatus { get; init; }
    public string? ResponseBody { get; init; }
    public string? Location { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>The stored response, verbatim, marked as a replay.</summary>
internal sealed class ReplayResult(IdempotencyRecord record) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = record.ResponseStatus ?? 200;
        response.Headers["Idempotent-Replayed"] = "true";
        if (record.Location is not null)
        {
            response.Headers.Location = record.Location;
        }
        if (!string.IsNullOrEmpty(record.ResponseBody))
        {
            response.ContentType = "application/json; charset=utf-8";
            await response.WriteAsync(record.ResponseBody);
        }
    }
}
