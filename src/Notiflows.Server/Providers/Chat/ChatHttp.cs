using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Notiflows.Core.Delivery;

namespace Notiflows.Server.Providers.Chat;

/// <summary>
/// The HTTP plumbing of the sms, chat and webhook providers: the base URL override
/// (<c>Notiflows:Providers:{provider}:BaseUrl</c>), the call timeout (<c>Notiflows:Providers:TimeoutSeconds</c>, default
/// 30 s, measured on the injected <see cref="TimeProvider"/>), and the §12.9 classification of what came back. A network
/// error, a dropped connection or a timeout is an answer with no status, never an exception.
/// </summary>
internal sealed class ChatHttp(IHttpClientFactory clients, IConfiguration config, TimeProvider time)
{
    public const string ClientName = "notiflows-chat-providers";
    private const int MaxErrorBody = 500;

    public TimeProvider Time => time;

    /// <summary>The provider's base URL, without a trailing slash.</summary>
    public string BaseUrl(string provider, string documented) =>
        (config[$"Notiflows:Providers:{provider}:BaseUrl"] ?? documented).TrimEnd('/');

    /// <summary>The provider call timeout; a channel's own limit (webhook <c>timeout_seconds</c>) can only shorten it.</summary>
    public TimeSpan Timeout(double? channelSeconds = null)
    {
        var seconds = config.GetValue("Notiflows:Providers:TimeoutSeconds", 30.0);
        return TimeSpan.FromSeconds(channelSeconds is { } s ? Math.Min(s, seconds) : seconds);
    }

    public async Task<HttpAnswer> SendAsync(HttpRequestMessage request, TimeSpan timeout, CancellationToken ct)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        try
        {
            using var response = await clients.CreateClient(ClientName)
                .SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
            var body = await response.Content.ReadAsStringAsync(linked.Token);
            return new HttpAnswer((int)response.StatusCode, body, RetryAfter(response.Headers), null);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return HttpAnswer.Failed($"timed out after {timeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException e)
        {
            return HttpAnswer.Failed($"network error: {e.Message}");
        }
    }

    /// <summary><c>Retry-After</c> as seconds or as an HTTP date (RFC 9110 §10.2.3).</summary>
    private TimeSpan? RetryAfter(HttpResponseHeaders headers) => headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date > time.GetUtcNow() ? date - time.GetUtcNow() : TimeSpan.Zero,
        _ => null,
    };

    /// <summary>The answer body cut to a length fit for an attempt's <c>error</c>.</summary>
    public static string Excerpt(string body) => body.Length <= MaxErrorBody ? body : body[..MaxErrorBody] + "…";

    public static ProviderReply Permanent(string error) => new(AttemptOutcome.Permanent, null, error);

    public static string? Str(JsonObject? o, string name) =>
        o?[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
}

/// <summary>What one HTTP call gave: the status and body, a <c>Retry-After</c>, or the failure when no answer came.</summary>
internal sealed record HttpAnswer(int? Status, string Body, TimeSpan? RetryAfter, string? Failure)
{
    public static HttpAnswer Failed(string failure) => new(null, "", null, failure);

    /// <summary>
    /// The §12.9 reply: no answer → retryable with no status; else by status (2xx success with <paramref name="messageId"/>,
    /// 408/429/5xx retryable, other 4xx permanent), the error being <paramref name="error"/> or the status and body.
    /// </summary>
    public ProviderReply Reply(string? messageId = null, string? error = null, TimeSpan? retryAfter = null)
    {
        if (Status is not { } status)
        {
            return new ProviderReply(AttemptOutcome.Retryable, null, Failure);
        }

        var outcome = ProviderReply.Classify(status);
        return outcome == AttemptOutcome.Success
            ? ProviderReply.Ok(status, messageId)
            : new ProviderReply(outcome, status, error ?? $"HTTP {status}: {ChatHttp.Excerpt(Body)}", null, retryAfter ?? RetryAfter);
    }

    public JsonObject? Json()
    {
        try
        {
            return JsonNode.Parse(Body) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
