using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Notiflows.Core.Delivery;

namespace Notiflows.Server.Providers;

/// <summary>
/// The HTTP plumbing every HTTP provider shares: the base URL override (<see cref="ProviderSettings.BaseUrl"/>), the call
/// timeout (<c>Notiflows:Providers:TimeoutSeconds</c>, 30 s by default, §12.9; a channel's own limit can shorten it),
/// measured on the injected <see cref="TimeProvider"/>, and the reading of what came back. A network error, a dropped
/// connection or a timeout is an <see cref="HttpAnswer"/> with no status, never an exception. The request is sent as
/// built (its content — JSON, form, multipart, bytes — and its <see cref="HttpRequestMessage.Version"/> policy, e.g.
/// HTTP/2 exact for APNs).
/// </summary>
public sealed class ProviderHttp(IHttpClientFactory clients, ProviderSettings settings, TimeProvider time)
{
    public const string ClientName = "notiflows-providers";

    public TimeProvider Time => time;

    /// <inheritdoc cref="ProviderSettings.BaseUrl"/>
    public string BaseUrl(string provider, string documented) => settings.BaseUrl(provider, documented);

    /// <summary>
    /// Sends the request within the server's call timeout, or within <paramref name="channelTimeoutSeconds"/> when that is
    /// shorter (the error then names the limit, which the channel's owner set).
    /// </summary>
    public Task<HttpAnswer> SendAsync(HttpRequestMessage request, CancellationToken ct, double? channelTimeoutSeconds = null) =>
        SendAsync(clients.CreateClient(ClientName), request, ct, channelTimeoutSeconds);

    /// <summary>
    /// As <see cref="SendAsync(HttpRequestMessage, CancellationToken, double?)"/>, through <paramref name="invoker"/> instead of
    /// the named client (a handler of the provider's own, e.g. one presenting an APNs client certificate).
    /// </summary>
    public async Task<HttpAnswer> SendAsync(
        HttpMessageInvoker invoker, HttpRequestMessage request, CancellationToken ct, double? channelTimeoutSeconds = null)
    {
        var timeout = settings.Timeout(channelTimeoutSeconds);
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        try
        {
            using var response = await invoker.SendAsync(request, linked.Token);
            var body = await response.Content.ReadAsStringAsync(linked.Token);
            return new HttpAnswer((int)response.StatusCode, response.Headers, body, RetryAfter(response.Headers), null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return HttpAnswer.NoAnswer(channelTimeoutSeconds is null ? "timed out" : $"timed out after {timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            return HttpAnswer.NoAnswer($"network error: {e.Message}");
        }
    }

    /// <summary>HTTP basic authentication (RFC 7617) for <paramref name="user"/> and <paramref name="password"/>.</summary>
    public static AuthenticationHeaderValue Basic(string user, string? password) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    /// <summary><c>Retry-After</c> as seconds or as an HTTP date (RFC 9110 §10.2.3), measured from now.</summary>
    private TimeSpan? RetryAfter(HttpResponseHeaders headers) => headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > time.GetUtcNow() ? date - time.GetUtcNow() : TimeSpan.Zero,
        _ => null,
    };
}

/// <summary>
/// What one HTTP call gave: the status, headers, body and <c>Retry-After</c>; or, with a null status, the
/// <paramref name="Failure"/> (network error or timeout) that took the answer's place.
/// </summary>
public sealed record HttpAnswer(int? Status, HttpResponseHeaders? Headers, string Body, TimeSpan? RetryAfter, string? Failure)
{
    private const int MaxErrorBody = 500;

    public static HttpAnswer NoAnswer(string failure) => new(null, null, "", null, failure);

    public bool IsSuccess => Status is >= 200 and < 300;

    public string? Header(string name) => Headers is not null && Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>The body as a JSON object, or null when it is not one.</summary>
    public JsonObject? Json() => JsonFields.ParseObject(Body);

    /// <summary>
    /// The §12.9 reply: no answer → retryable with no status; else by status (2xx success with <paramref name="messageId"/>,
    /// 408/429/5xx retryable, other 4xx permanent) unless the provider's own reading gives <paramref name="outcome"/>; the
    /// error is <paramref name="error"/>, else the status and the start of the body (providers do not echo credentials).
    /// </summary>
    public ProviderReply Reply(
        string? messageId = null, string? error = null, TimeSpan? retryAfter = null, bool targetGone = false, AttemptOutcome? outcome = null)
    {
        if (Status is not { } status)
        {
            return new ProviderReply(AttemptOutcome.Retryable, null, Failure);
        }

        var result = outcome ?? ProviderReply.Classify(status);
        return result == AttemptOutcome.Success
            ? ProviderReply.Ok(status, messageId)
            : new ProviderReply(result, status, error ?? (Body.Length == 0 ? $"HTTP {status}" : $"HTTP {status}: {Excerpt(Body)}"), null,
                retryAfter ?? RetryAfter, targetGone);
    }

    /// <summary>The answer body cut to a length fit for an attempt's <c>error</c>.</summary>
    public static string Excerpt(string body) => body.Length <= MaxErrorBody ? body : body[..MaxErrorBody] + "…";
}

/// <summary>DI registration of the shared provider plumbing; every provider area calls it (it registers once).</summary>
public static class ProviderHttpSetup
{
    public static IServiceCollection AddProviderHttp(this IServiceCollection services)
    {
        // The timeout is ours (ProviderHttp, on the injected TimeProvider), so the client's own 100 s limit is off.
        services.AddHttpClient(ProviderHttp.ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ProviderSettings>();
        services.TryAddSingleton<ProviderHttp>();
        return services;
    }
}
