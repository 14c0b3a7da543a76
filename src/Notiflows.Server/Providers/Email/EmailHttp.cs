using System.Text.Json.Nodes;
using Notiflows.Core.Delivery;

namespace Notiflows.Server.Providers.Email;

/// <summary>
/// One HTTP call of an HTTP email provider, classified the §12.9 way: 2xx success (the message id read from the answer),
/// 408/429/5xx retryable (honouring <c>Retry-After</c>), other 4xx permanent, network errors and timeouts retryable with
/// no status. The error text is the status and the start of the provider's answer (providers do not echo credentials).
/// </summary>
public sealed class EmailHttp(IHttpClientFactory clients, ProviderSettings settings, TimeProvider time)
{
    private const int MaxErrorLength = 500;

    public ProviderSettings Settings => settings;

    public TimeProvider Time => time;

    public async Task<ProviderReply> SendAsync(
        HttpRequestMessage request, Func<HttpResponseMessage, JsonNode?, string?> messageId, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(settings.Timeout);
        try
        {
            using var client = clients.CreateClient(nameof(EmailHttp));
            using var response = await client.SendAsync(request, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            var status = (int)response.StatusCode;
            var outcome = ProviderReply.Classify(status);
            if (outcome == AttemptOutcome.Success)
            {
                return ProviderReply.Ok(status, messageId(response, TryParse(text)));
            }
            var error = text.Length > MaxErrorLength ? text[..MaxErrorLength] : text;
            return new ProviderReply(outcome, status, $"{status} {response.ReasonPhrase} {error}".TrimEnd(), RetryAfter: RetryAfter(response));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new ProviderReply(AttemptOutcome.Retryable, null, "timed out");
        }
        catch (HttpRequestException e)
        {
            return new ProviderReply(AttemptOutcome.Retryable, null, e.Message);
        }
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - time.GetUtcNow() is { Ticks: > 0 } wait ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static JsonNode? TryParse(string text)
    {
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
