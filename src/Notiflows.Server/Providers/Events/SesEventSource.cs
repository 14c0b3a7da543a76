using System.Text.Json;
using System.Text.Json.Nodes;
using ProviderNames = Notiflows.Core.Channels.Providers;

namespace Notiflows.Server.Providers.Events;

/// <summary>
/// Amazon SES events delivered through an Amazon SNS HTTPS subscription (§14.4). Every message is verified by its SNS
/// signature (<see cref="SnsClient"/>, with the channel's <c>region</c>). A <c>SubscriptionConfirmation</c> is confirmed
/// by a GET of its <c>SubscribeURL</c> and an <c>UnsubscribeConfirmation</c> is acknowledged, both with no events. A
/// <c>Notification</c>'s <c>Message</c> is the SES record, in either format — SES notifications
/// (<c>notificationType</c>, https://docs.aws.amazon.com/ses/latest/dg/notification-contents.html) or event publishing
/// (<c>eventType</c>, https://docs.aws.amazon.com/ses/latest/dg/event-publishing-retrieving-sns-contents.html):
/// <c>Delivery</c> → delivered; <c>Bounce</c> → bounced, whatever its <c>bounceType</c> — SES reports a soft
/// (<c>Transient</c>) bounce only once it has stopped retrying, so the message was not delivered either way — with
/// <c>"&lt;bounceType&gt; bounce (&lt;bounceSubType&gt;): &lt;diagnosticCode&gt;"</c>; <c>Reject</c> (SES will not attempt
/// the message) → bounced with its reason; everything else is dropped. The message id is <c>mail.messageId</c>, the
/// <c>MessageId</c> SendEmail answered with (what <see cref="Email.SesProvider"/> stores).
/// </summary>
public sealed class SesEventSource(SnsClient sns) : IProviderEventSource
{
    public string Provider => ProviderNames.Ses;

    public async Task<IReadOnlyList<ProviderEvent>?> ReadAsync(InboundRequest request, CancellationToken ct)
    {
        if (request.Config.Text("region") is not { } region
            || SnsMessage.Parse(request.Body) is not { } message
            || !await sns.VerifyAsync(message, region, ct))
        {
            return null;
        }
        switch (message.Type)
        {
            case SnsMessage.SubscriptionConfirmation:
                await sns.ConfirmAsync(message["SubscribeURL"], region, message["TopicArn"], ct);
                return [];
            case SnsMessage.Notification:
                return Event(message["Message"]) is { } e ? [e] : [];
            default:
                return [];
        }
    }

    private static ProviderEvent? Event(string? message)
    {
        JsonObject? record;
        try
        {
            record = message is null ? null : JsonNode.Parse(message) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
        if (record?["mail"] is not JsonObject mail || EventJson.Text(mail, "messageId") is not { } messageId)
        {
            return null;
        }
        return (EventJson.Text(record, "eventType") ?? EventJson.Text(record, "notificationType")) switch
        {
            "Delivery" => new ProviderEvent(messageId, ProviderEventKind.Delivered),
            "Bounce" => new ProviderEvent(messageId, ProviderEventKind.Bounced, BounceReason(record["bounce"] as JsonObject)),
            "Reject" => new ProviderEvent(messageId, ProviderEventKind.Bounced,
                $"rejected: {EventJson.Text(record["reject"] as JsonObject, "reason") ?? "unknown"}"),
            _ => null,
        };
    }

    private static string BounceReason(JsonObject? bounce)
    {
        var type = EventJson.Text(bounce, "bounceType") ?? "Undetermined";
        var reason = $"{type} bounce ({EventJson.Text(bounce, "bounceSubType") ?? "Undetermined"})";
        var codes = (bounce?["bouncedRecipients"] as JsonArray ?? [])
            .Select(r => EventJson.Text(r as JsonObject, "diagnosticCode"))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return codes.Count == 0 ? reason : $"{reason}: {string.Join("; ", codes)}";
    }
}
