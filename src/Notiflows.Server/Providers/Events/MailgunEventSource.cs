using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using static Notiflows.Server.Providers.Events.EventReading;

namespace Notiflows.Server.Providers.Events;

/// <summary>
/// <c>mailgun</c> (§14.4): the JSON body carries <c>signature: {timestamp, token, signature}</c> next to <c>event-data</c>;
/// <c>signature</c> is the hex HMAC-SHA256 of <c>timestamp + token</c> keyed with the HTTP webhook signing key
/// (<c>webhook_signing_key</c>). <c>delivered</c> → delivered; <c>failed</c> with <c>severity: permanent</c> → bounced (reason
/// from <c>delivery-status.description</c>, else <c>.message</c>, else <c>reason</c>); temporary failures are ignored.
/// Docs: https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/securing-webhooks,
/// https://documentation.mailgun.com/docs/mailgun/user-manual/webhooks/webhook-payloads,
/// https://documentation.mailgun.com/docs/mailgun/user-manual/events/event-types.
/// </summary>
/// <remarks>
/// Message ids: the send API answers <c>id: "&lt;…@domain&gt;"</c>, which <see cref="Email.MailgunProvider"/> stores verbatim,
/// while events name the message by its <c>Message-Id</c> header <em>without</em> angle brackets. Events are therefore
/// reported in the stored, bracketed form: an id without brackets gets them, one with brackets is kept.
/// </remarks>
public sealed class MailgunEventSource : IProviderEventSource
{
    public string Provider => Core.Channels.Providers.Mailgun;

    public Task<IReadOnlyList<ProviderEvent>?> ReadAsync(InboundRequest request, CancellationToken ct)
    {
        var body = Json(request.Body);
        return Task.FromResult(Verified(request, Obj(body, "signature")) ? Events(Obj(body, "event-data")) : null);
    }

    private static bool Verified(InboundRequest request, JsonObject? signature)
    {
        if (Config(request, "webhook_signing_key") is not { } key
            || Scalar(signature, "timestamp") is not { } timestamp || Str(signature, "token") is not { } token
            || Str(signature, "signature") is not { Length: 64 } given)
        {
            return false;
        }
        byte[] givenBytes;
        try
        {
            givenBytes = Convert.FromHexString(given);
        }
        catch (FormatException)
        {
            return false;
        }
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(timestamp + token));
        return SameBytes(expected, givenBytes);
    }

    private static IReadOnlyList<ProviderEvent> Events(JsonObject? data)
    {
        if (MessageId(data) is not { } messageId)
        {
            return None;
        }
        return Str(data, "event") switch
        {
            "delivered" => [new ProviderEvent(messageId, ProviderEventKind.Delivered)],
            "failed" when Str(data, "severity") == "permanent" => [new ProviderEvent(messageId, ProviderEventKind.Bounced, Reason(data!))],
            _ => None,
        };
    }

    /// <summary><c>message.headers.message-id</c> in the bracketed form the send provider stored.</summary>
    public static string? MessageId(JsonObject? data) =>
        Str(Obj(Obj(data, "message"), "headers"), "message-id")?.Trim() is { Length: > 0 } id ? (id.StartsWith('<') ? id : $"<{id}>") : null;

    private static string Reason(JsonObject data)
    {
        var status = Obj(data, "delivery-status");
        return new[] { Str(status, "description"), Str(status, "message"), Str(data, "reason") }
            .FirstOrDefault(r => !string.IsNullOrWhiteSpace(r)) ?? "bounced";
    }

    /// <summary>The timestamp is documented as a string but typed int: accept both.</summary>
    private static string? Scalar(JsonObject? node, string name) => node?[name] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<long>(out var n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };
}
