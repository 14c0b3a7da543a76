using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ProviderNames = Notiflows.Core.Channels.Providers;

namespace Notiflows.Server.Providers.Events;

/// <summary>
/// SendGrid's signed event webhook (§14.4). SendGrid signs <c>timestamp + raw body</c> with ECDSA P-256 / SHA-256 and
/// sends the base64 DER signature in <c>X-Twilio-Email-Event-Webhook-Signature</c> and the timestamp in
/// <c>X-Twilio-Email-Event-Webhook-Timestamp</c>; the verification key (config <c>event_webhook_public_key</c>) is the
/// base64 DER SubjectPublicKeyInfo the SendGrid console shows (a PEM-framed copy is accepted too). SendGrid documents no
/// timestamp tolerance and retries for up to 72 hours, so none is enforced: a replay can only repeat a transition that
/// already happened. Sources:
/// https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/getting-started-event-webhook-security-features
/// and the official helpers (sendgrid-nodejs packages/eventwebhook, sendgrid-ruby EventWebhook).
/// <para>
/// The body is a JSON array of events (https://www.twilio.com/docs/sendgrid/for-developers/tracking-events/event):
/// <c>delivered</c> → delivered; <c>bounce</c> (<c>type</c> <c>bounce</c> or <c>blocked</c>) and <c>dropped</c> (SendGrid
/// will never attempt this message, e.g. a suppressed address) → bounced with <c>"&lt;type&gt;: &lt;reason&gt;"</c>;
/// <c>deferred</c> (SendGrid keeps retrying) and engagement events are dropped. <c>sg_message_id</c> is the
/// <c>X-Message-Id</c> the send answered with (what <see cref="Email.SendGridProvider"/> stores) followed by <c>.</c> and a
/// per-recipient suffix (<c>.filter…</c>, <c>.recvd-…</c>), so the part before the first dot is emitted.
/// </para>
/// </summary>
public sealed class SendGridEventSource : IProviderEventSource
{
    public const string SignatureHeader = "X-Twilio-Email-Event-Webhook-Signature";
    public const string TimestampHeader = "X-Twilio-Email-Event-Webhook-Timestamp";

    public string Provider => ProviderNames.SendGrid;

    public Task<IReadOnlyList<ProviderEvent>?> ReadAsync(InboundRequest request, CancellationToken ct) =>
        Task.FromResult(Verified(request) ? Events(request.Body) : null);

    private static bool Verified(InboundRequest request)
    {
        if (!request.Headers.TryGetValue(SignatureHeader, out var signature)
            || !request.Headers.TryGetValue(TimestampHeader, out var timestamp)
            || request.Config.Text("event_webhook_public_key") is not { } key)
        {
            return false;
        }
        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(Convert.FromBase64String(StripPem(key)), out _);
            byte[] signed = [.. Encoding.UTF8.GetBytes(timestamp.Trim()), .. request.Body];
            return ecdsa.VerifyData(signed, Convert.FromBase64String(signature.Trim()), HashAlgorithmName.SHA256,
                DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return false;
        }
    }

    private static string StripPem(string key) => string.Concat(key
        .Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Where(line => !line.StartsWith("-----", StringComparison.Ordinal)));

    private static IReadOnlyList<ProviderEvent> Events(byte[] body)
    {
        JsonNode? json;
        try
        {
            json = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return [];
        }
        return json is JsonArray events ? [.. events.OfType<JsonObject>().Select(Event).OfType<ProviderEvent>()] : [];
    }

    private static ProviderEvent? Event(JsonObject e)
    {
        if (EventJson.Text(e, "sg_message_id") is not { } sgMessageId)
        {
            return null;
        }
        var messageId = sgMessageId.Split('.')[0];
        return EventJson.Text(e, "event") switch
        {
            "delivered" => new ProviderEvent(messageId, ProviderEventKind.Delivered),
            "bounce" => Bounced(messageId, EventJson.Text(e, "type") ?? "bounce", e),
            "dropped" => Bounced(messageId, "dropped", e),
            _ => null,
        };
    }

    private static ProviderEvent Bounced(string messageId, string type, JsonObject e) =>
        new(messageId, ProviderEventKind.Bounced, EventJson.Text(e, "reason") is { } reason ? $"{type}: {reason}" : type);
}
