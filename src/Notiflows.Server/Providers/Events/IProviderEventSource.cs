using System.Text.Json.Nodes;

namespace Notiflows.Server.Providers.Events;

/// <summary>
/// One request to <c>POST /providers/v1/{channel_id}/events</c> (§14.4) as the provider sent it: the URL it called (the
/// public URL: <c>Notiflows:PublicUrl</c> + path and query when set, else the request's own), its headers
/// (case-insensitive names), the raw body, and the channel's configuration with its secrets decrypted.
/// </summary>
public sealed record InboundRequest(
    Uri Url,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body,
    JsonObject Config);

/// <summary>The two provider events §14.4 applies: <c>sent → delivered</c> and <c>sent/delivered → bounced</c>.</summary>
public enum ProviderEventKind
{
    Delivered,
    Bounced,
}

/// <summary>A delivery event the provider reported for the message it gave <paramref name="ProviderMessageId"/>.</summary>
public sealed record ProviderEvent(string ProviderMessageId, ProviderEventKind Kind, string? Reason = null);

/// <summary>
/// The inbound side of one provider (§14.4): verifies a request the provider's way with the channel's configuration and
/// reads the delivered/bounced events it carries. Every other event type is dropped here.
/// </summary>
public interface IProviderEventSource
{
    /// <summary>The provider name of §14.2 (<c>sendgrid</c>, <c>postmark</c>, <c>mailgun</c>, <c>ses</c>, <c>resend</c>, <c>twilio</c>).</summary>
    string Provider { get; }

    /// <summary>
    /// Null when the request is not verified (signature missing or bad, or the channel lacks the verification
    /// configuration): the endpoint answers 401 and applies nothing. Otherwise the events, possibly none; a verified body
    /// the source cannot read yields no events, never an exception.
    /// </summary>
    Task<IReadOnlyList<ProviderEvent>?> ReadAsync(InboundRequest request, CancellationToken ct);
}
