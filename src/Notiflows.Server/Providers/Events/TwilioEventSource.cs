using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using static Notiflows.Server.Providers.Events.EventReading;

namespace Notiflows.Server.Providers.Events;

/// <summary>
/// <c>twilio</c> (§14.4): a message status callback is a form post signed in <c>X-Twilio-Signature</c>: the base64
/// HMAC-SHA1, keyed with the account's <c>auth_token</c>, of the full URL Twilio called (scheme, host, path and query) followed
/// by every POST parameter's name and value, sorted by name, without separators. <c>MessageStatus</c> <c>delivered</c> →
/// delivered; <c>undelivered</c> / <c>failed</c> → bounced with the <c>ErrorCode</c> in the reason; <c>MessageSid</c> is the
/// message's <c>sid</c> the send API answered.
/// Docs: https://www.twilio.com/docs/usage/security#validating-requests,
/// https://www.twilio.com/docs/messaging/guides/track-outbound-message-status.
/// </summary>
public sealed class TwilioEventSource : IProviderEventSource
{
    public string Provider => Core.Channels.Providers.Twilio;

    public Task<IReadOnlyList<ProviderEvent>?> ReadAsync(InboundRequest request, CancellationToken ct)
    {
        if (Config(request, "auth_token") is not { } token || Header(request, "X-Twilio-Signature") is not { } signature)
        {
            return Task.FromResult<IReadOnlyList<ProviderEvent>?>(null);
        }
        Dictionary<string, Microsoft.Extensions.Primitives.StringValues> form;
        try
        {
            form = new FormReader(Encoding.UTF8.GetString(request.Body)).ReadForm();
        }
        catch (InvalidDataException)
        {
            return Task.FromResult<IReadOnlyList<ProviderEvent>?>(null);
        }
        var parameters = form.SelectMany(p => p.Value.Select(v => (p.Key, Value: v ?? "")));
        var expected = Encoding.ASCII.GetBytes(Sign(token, request.Url.OriginalString, parameters));
        return Task.FromResult(SameBytes(expected, Encoding.ASCII.GetBytes(signature)) ? Events(form) : null);
    }

    /// <summary>Twilio's signature of a form post: base64 HMAC-SHA1 over the URL and the parameters sorted by name (then value).</summary>
    public static string Sign(string authToken, string url, IEnumerable<(string Key, string Value)> parameters)
    {
        var data = new StringBuilder(url);
        foreach (var (key, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            data.Append(key).Append(value);
        }
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }

    private static IReadOnlyList<ProviderEvent> Events(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> form)
    {
        var sid = form.TryGetValue("MessageSid", out var s) ? s.ToString() : "";
        var status = form.TryGetValue("MessageStatus", out var st) ? st.ToString() : "";
        if (sid.Length == 0)
        {
            return None;
        }
        var errorCode = form.TryGetValue("ErrorCode", out var code) && code.ToString().Length > 0 ? code.ToString() : null;
        return status switch
        {
            "delivered" => [new ProviderEvent(sid, ProviderEventKind.Delivered)],
            "undelivered" or "failed" => [new ProviderEvent(sid, ProviderEventKind.Bounced,
                errorCode is null ? $"twilio: {status}" : $"twilio {errorCode}: {status}")],
            _ => None,
        };
    }
}
