using System.Globalization;
using Notiflows.Core.Delivery;

namespace Notiflows.Server.Providers.Push;

/// <summary>
/// The HTTP plumbing the push providers share: the base URL override (<c>Notiflows:Providers:{provider}:BaseUrl</c>),
/// the call timeout (<c>Notiflows:Providers:TimeoutSeconds</c>, 30 s by default, §12.9) and the mapping of network
/// errors and timeouts to a retryable reply with no status.
/// </summary>
public sealed class PushHttp(IHttpClientFactory clients, IConfiguration configuration, TimeProvider time)
{
    private readonly TimeSpan _timeout = TimeSpan.FromSeconds(
        double.TryParse(configuration["Notiflows:Providers:TimeoutSeconds"], CultureInfo.InvariantCulture, out var s) ? s : 30);

    public TimeProvider Time => time;

    /// <summary>The configured base URL of <paramref name="provider"/> (no trailing slash), else <paramref name="documented"/>.</summary>
    public string BaseUrl(string provider, string documented) =>
        (configuration[$"Notiflows:Providers:{provider}:BaseUrl"] is { Length: > 0 } url ? url : documented).TrimEnd('/');

    /// <summary>Sends the request; a network error or a timeout is an <see cref="HttpAnswer"/> with a null status.</summary>
    public async Task<HttpAnswer> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_timeout);
        try
        {
            using var client = clients.CreateClient(nameof(PushHttp));
            client.Timeout = Timeout.InfiniteTimeSpan;
            using var response = await client.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            return new HttpAnswer((int)response.StatusCode, response, body, RetryAfter(response));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return HttpAnswer.NetworkError($"timed out after {_timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            return HttpAnswer.NetworkError(e.Message);
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > time.GetUtcNow() ? date - time.GetUtcNow() : TimeSpan.Zero,
        _ => null,
    };
}

/// <summary>
/// A provider's HTTP answer (status, headers, body) or, with a null status, the network error or timeout that replaced it.
/// </summary>
public sealed record HttpAnswer(int? Status, HttpResponseMessage? Response, string Body, TimeSpan? RetryAfter)
{
    public static HttpAnswer NetworkError(string error) => new(null, null, error, null);

    public bool IsSuccess => Status is >= 200 and < 300;

    public string? Header(string name) =>
        Response is not null && Response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>The reply for a failed call: the §12.9 class of its status (retryable without one), and the error text.</summary>
    public ProviderReply Failure(string? error = null, bool targetGone = false, AttemptOutcome? outcome = null) =>
        Status is { } status
            ? new(outcome ?? ProviderReply.Classify(status), status, error ?? $"HTTP {status}: {Truncate(Body)}", null, RetryAfter, targetGone)
            : new(AttemptOutcome.Retryable, null, Body);

    private static string Truncate(string text) => text.Length <= 500 ? text : text[..500];
}
