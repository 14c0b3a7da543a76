using System.Net.Http.Headers;
using System.Text;
using static Notiflows.Server.Providers.Events.EventReading;

namespace Notiflows.Server.Providers.Events;

/// <summary>
/// <c>postmark</c> (§14.4): Postmark protects a webhook with HTTP basic auth — the credentials are part of the webhook URL
/// set in Postmark (<c>https://user:password@host/…</c>) and arrive as <c>Authorization: Basic</c>; both are compared in
/// constant time with <c>webhook_username</c> / <c>webhook_password</c>. The body is one JSON record:
/// <c>RecordType</c> <c>Delivery</c> → delivered, <c>Bounce</c> → bounced (reason from <c>Type</c> and <c>Description</c>),
/// both naming the message by <c>MessageID</c> (the id the send API answered).
/// Docs: https://postmarkapp.com/developer/webhooks/delivery-webhook, https://postmarkapp.com/developer/webhooks/bounce-webhook,
/// https://postmarkapp.com/email-webhooks ("secure them using HTTP Auth").
/// </summary>
public sealed class PostmarkEventSource : IProviderEventSource
{
    public string Provider => Core.Channels.Providers.Postmark;

    public Task<IReadOnlyList<ProviderEvent>?> ReadAsync(InboundRequest request, CancellationToken ct) =>
        Task.FromResult(Verified(request) ? Events(request.Body) : null);

    private static bool Verified(InboundRequest request)
    {
        if (Config(request, "webhook_username") is not { } username || Config(request, "webhook_password") is not { } password
            || !AuthenticationHeaderValue.TryParse(Header(request, "Authorization"), out var auth)
            || !string.Equals(auth.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || auth.Parameter is null)
        {
            return false;
        }
        string credentials;
        try
        {
            credentials = Encoding.UTF8.GetString(Convert.FromBase64String(auth.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }
        var colon = credentials.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }
        // Both compared, always: which of the two differs is not revealed by the time taken.
        var userMatches = SameText(credentials[..colon], username);
        var passwordMatches = SameText(credentials[(colon + 1)..], password);
        return userMatches & passwordMatches;
    }

    private static IReadOnlyList<ProviderEvent> Events(byte[] body)
    {
        var record = Json(body);
        if (Str(record, "MessageID") is not { Length: > 0 } messageId)
        {
            return None;
        }
        return Str(record, "RecordType") switch
        {
            "Delivery" => [new ProviderEvent(messageId, ProviderEventKind.Delivered)],
            "Bounce" => [new ProviderEvent(messageId, ProviderEventKind.Bounced, Reason(record!))],
            _ => None,
        };
    }

    private static string Reason(System.Text.Json.Nodes.JsonObject record)
    {
        var parts = new[] { Str(record, "Type"), Str(record, "Description") }.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        return parts.Count == 0 ? "bounced" : string.Join(": ", parts);
    }
}
