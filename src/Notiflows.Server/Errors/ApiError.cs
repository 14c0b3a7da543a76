using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Notiflows.Core.Common;
using Notiflows.Server.Infrastructure;

namespace Notiflows.Server.Errors;

/// <summary>
/// An expected failure, returned as a value by handlers and filters and written as the error envelope.
/// The envelope's <c>type</c> depends on the surface: Management API paths use the hosted product's
/// <c>errors#code-status</c> form, every other route the docs form.
/// </summary>
public sealed class ApiError(int status, string code, string message, IReadOnlyDictionary<string, object?>? details = null)
    : IResult, IStatusCodeHttpResult, IEndpointMetadataProvider
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    public string Message { get; } = message;
    public IReadOnlyDictionary<string, object?> Details { get; } = details ?? new Dictionary<string, object?>();
    public Action<HttpResponse>? Headers { get; init; }

    /// <summary>Set on the request once an envelope was written, so the protocol middleware never writes a second one.</summary>
    public const string WrittenKey = "notiflows.error_written";

    int? IStatusCodeHttpResult.StatusCode => Status;

    public static ApiError BadRequest(string reason, string? param = null, string message = "Bad request") =>
        new(400, "bad_request", message, param is null ? D(("reason", reason)) : D(("reason", reason), ("param", param)));

    public static ApiError InvalidJson() => BadRequest("invalid_json", message: "Request body must be a JSON object");

    public static ApiError InvalidParam(string param) => BadRequest("invalid_param", param, $"Invalid value for parameter '{param}'");

    public static ApiError InvalidUuid(string param) => BadRequest("invalid_uuid", param, $"Parameter '{param}' must be a UUID");

    public static ApiError Unauthenticated(string auth, string message = "Invalid or missing credentials") =>
        new(401, "unauthenticated", message, D(("auth", auth)));

    public static ApiError Forbidden(string reason, string message = "Forbidden") => new(403, "forbidden", message, D(("reason", reason)));

    public static ApiError NotFound(string resource, string? id, string? message = null) =>
        new(404, "not_found", message ?? $"{Capitalise(resource)} not found", D(("resource", resource), ("id", id)));

    public static ApiError RouteNotFound(string path) => NotFound("route", path, "Route not found");

    public static ApiError MethodNotAllowed(IReadOnlyList<string> allowed) =>
        new(405, "method_not_allowed", "Method not allowed", D(("allowed_methods", allowed)));

    public static ApiError Conflict(string message, params (string Key, object? Value)[] details) => new(409, "conflict", message, D(details));

    public static ApiError PayloadTooLarge(long limit) => new(413, "payload_too_large", $"Request body exceeds {limit} bytes", D(("limit", limit)));

    public static ApiError Validation(IReadOnlyList<FieldError> fields) =>
        new(422, "validation_failed", "Validation failed", D(("fields", fields)));

    public static ApiError Validation(string field, string message, string reason) => Validation([new FieldError(field, message, reason)]);

    /// <summary>429 (§4.6) with <c>Retry-After</c> and <c>details = {retry_after, limit, window}</c>.</summary>
    public static ApiError RateLimited(int retryAfterSeconds, int limit, string message = "Rate limit exceeded") =>
        new(429, "rate_limited", message, D(("retry_after", retryAfterSeconds), ("limit", limit), ("window", "1s")))
        {
            Headers = r => r.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture),
        };

    public static ApiError Internal() => new(500, "internal_error", "Internal server error");

    public static ApiError Unavailable(string message = "Service unavailable") => new(503, "unavailable", message);

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        httpContext.Items[WrittenKey] = true;
        response.StatusCode = Status;
        Headers?.Invoke(response);
        return response.WriteAsJsonAsync(ToEnvelope(httpContext), JsonDefaults.Options, "application/json; charset=utf-8");
    }

    public ErrorEnvelope ToEnvelope(HttpContext httpContext)
    {
        var type = IsManagementPath(httpContext.Request.Path)
            ? $"https://notiflows.com/docs/api/errors#{Code}-{Status}"
            : $"https://docs.notiflows.com/errors/{Code}";
        return new ErrorEnvelope(new ErrorBody(type, Code, Message, Status, RequestIds.Get(httpContext), Details));
    }

    public static bool IsManagementPath(PathString path) =>
        path.StartsWithSegments("/management", StringComparison.Ordinal) || path.StartsWithSegments("/api/management", StringComparison.Ordinal);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        foreach (var status in new[] { 400, 401, 404, 409, 422, 429 })
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ErrorEnvelope), ["application/json"]));
        }
    }

    private static Dictionary<string, object?> D(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    private static string Capitalise(string resource) =>
        resource.Length == 0 ? resource : char.ToUpperInvariant(resource[0]) + resource[1..].Replace('_', ' ');
}
