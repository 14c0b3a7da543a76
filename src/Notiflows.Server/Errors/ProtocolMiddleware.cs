using Microsoft.AspNetCore.Http.Features;
using Notiflows.Server.Infrastructure;

namespace Notiflows.Server.Errors;

/// <summary>
/// The outermost layer of every request: assigns the request id, ignores a trailing slash, turns unmatched
/// routes (404) and wrong methods (405) into the error envelope, and turns any exception into a 500 envelope
/// that reveals nothing about the server's internals.
/// </summary>
public sealed partial class ProtocolMiddleware(RequestDelegate next, ILogger<ProtocolMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = RequestIds.Assign(context);
        var path = context.Request.Path.Value;
        if (path is { Length: > 1 } && path.EndsWith('/') && !path.StartsWith("/docs", StringComparison.Ordinal))
        {
            context.Request.Path = new PathString(path.TrimEnd('/') is { Length: > 0 } trimmed ? trimmed : "/");
        }
        try
        {
            await next(context);
            if (!context.Response.HasStarted && context.Response.StatusCode >= 400 && !context.Items.ContainsKey(ApiError.WrittenKey))
            {
                await WriteBodylessErrorAsync(context);
            }
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            var error = ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? ApiError.PayloadTooLarge(context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? 0)
                : ApiError.InvalidJson();
            await error.ExecuteAsync(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (Exception ex)
        {
            LogUnhandled(logger, ex, requestId, context.Request.Method, context.Request.Path);
            if (!context.Response.HasStarted)
            {
                context.Response.Clear();
                context.Response.Headers[RequestIds.Header] = requestId;
                await ApiError.Internal().ExecuteAsync(context);
            }
        }
    }

    /// <summary>Errors produced by the framework without a body (unmatched route, wrong method, …) get the envelope too.</summary>
    private static Task WriteBodylessErrorAsync(HttpContext context)
    {
        var status = context.Response.StatusCode;
        if (status == 405)
        {
            var allowed = context.Response.Headers.Allow.ToString()
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return ApiError.MethodNotAllowed(allowed).ExecuteAsync(context);
        }
        var error = status switch
        {
            404 => ApiError.RouteNotFound(context.Request.Path),
            413 => ApiError.PayloadTooLarge(context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize ?? 0),
            >= 500 => ApiError.Internal(),
            _ => new ApiError(status, "bad_request", "Bad request", new Dictionary<string, object?> { ["reason"] = "unsupported_request" }),
        };
        return error.ExecuteAsync(context);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for request {RequestId} {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception ex, string requestId, string method, string path);
}
