using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Notiflows.Server.Providers.Events;

/// <summary>
/// An Amazon SNS message as SNS posts it to an HTTP/S subscriber: a JSON document whose <c>Type</c> is
/// <c>Notification</c>, <c>SubscriptionConfirmation</c> or <c>UnsubscribeConfirmation</c>. <see cref="StringToSign"/> is the
/// canonical form SNS signs: for each field of the type's list present in the message, in byte order, the field name, a
/// newline, the (JSON-unescaped) value and a newline — Notification: Message, MessageId, Subject (when present),
/// Timestamp, TopicArn, Type; the two confirmations: Message, MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type.
/// Source: https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html and the JSON formats under
/// https://docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html.
/// </summary>
public sealed record SnsMessage(string Type, JsonObject Fields, string SignatureVersion, byte[] Signature, Uri SigningCertUrl)
{
    public const string Notification = "Notification";
    public const string SubscriptionConfirmation = "SubscriptionConfirmation";
    public const string UnsubscribeConfirmation = "UnsubscribeConfirmation";

    private static readonly string[] NotificationFields = ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"];
    private static readonly string[] ConfirmationFields =
        ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];

    public string? this[string field] => Field(Fields, field);

    /// <summary>The message, or null when the body is not an SNS message of a known type with a signature.</summary>
    public static SnsMessage? Parse(byte[] body)
    {
        try
        {
            if (JsonNode.Parse(body) is not JsonObject json
                || (Field(json, "Type"), Field(json, "SignatureVersion"), Field(json, "Signature"), Field(json, "SigningCertURL"))
                    is not ({ } type and (Notification or SubscriptionConfirmation or UnsubscribeConfirmation), { } version,
                        { } signature, { } certUrl)
                || !Uri.TryCreate(certUrl, UriKind.Absolute, out var certUri))
            {
                return null;
            }
            return new SnsMessage(type, json, version, Convert.FromBase64String(signature), certUri);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return null;
        }
    }

    public byte[] StringToSign()
    {
        var text = new StringBuilder();
        foreach (var field in Type == Notification ? NotificationFields : ConfirmationFields)
        {
            if (Fields[field] is JsonValue value && value.TryGetValue<string>(out var s))
            {
                text.Append(field).Append('\n').Append(s).Append('\n');
            }
        }
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private static string? Field(JsonObject json, string name) => EventJson.Text(json, name);
}
