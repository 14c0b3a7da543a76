using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using static Notiflows.Server.Providers.Events.EventReading;

namespace Notiflows.Server.Providers.Events;

/// <summary>
/// <c>resend</c> (§14.4): Resend signs its webhooks through Svix. <c>svix-signature</c> holds space-separated
/// <c>v1,&lt;base64&gt;</c> signatures (several during a secret rotation; one match suffices), each the HMAC-SHA256 of
/// <c>"{svix-id}.{svix-timestamp}.{raw body}"</c> keyed with the base64-decoded part of <c>webhook_secret</c> after its
/// <c>whsec_</c> prefix; a <c>svix-timestamp</c> (unix seconds) more than five minutes from now is refused, against replays.
/// <c>email.delivered</c> → delivered, <c>email.bounced</c> → bounced (reason <c>data.bounce.message</c>), both naming the
/// message by <c>data.email_id</c> (the <c>id</c> the send API answered).
/// Docs: https://resend.com/docs/webhooks/verify-webhooks-requests, https://docs.svix.com/receiving/verifying-payloads/how-manual,
/// https://resend.com/docs/webhooks/emails/bounced.
/// </summary>
public sealed class ResendEventSource(TimeProvider time) : IProviderEventSource
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public string Provider => Core.Channels.Providers.Resend;

    public Task<IReadOnlyList<ProviderEvent>?> ReadAsync(InboundRequest request, CancellationToken ct) =>
        Task.FromResult(Verified(request) ? Events(request.Body) : null);

    private bool Verified(InboundRequest request)
    {
        if (Key(Config(request, "webhook_secret")) is not { } key || Header(request, "svix-id") is not { } id
            || Header(request, "svix-timestamp") is not { } timestamp || Header(request, "svix-signature") is not { } signatures
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || seconds > DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            || (time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > Tolerance)
        {
            return false;
        }
        var expected = Sign(key, id, timestamp, request.Body);
        var matched = false;
        foreach (var entry in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (entry.StartsWith("v1,", StringComparison.Ordinal) && Base64(entry[3..]) is { } given)
            {
                matched |= SameBytes(expected, given);
            }
        }
        return matched;
    }

    /// <summary>The Svix signature of a request: HMAC-SHA256 over <c>"{id}.{timestamp}.{body}"</c>.</summary>
    public static byte[] Sign(byte[] key, string id, string timestamp, byte[] body)
    {
        byte[] content = [.. Encoding.UTF8.GetBytes($"{id}.{timestamp}."), .. body];
        return HMACSHA256.HashData(key, content);
    }

    /// <summary>The signing key of a <c>whsec_…</c> secret (the prefix is optional); null when it is not base64.</summary>
    public static byte[]? Key(string? secret) =>
        secret is null ? null : Base64(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret["whsec_".Length..] : secret);

    private static byte[]? Base64(string value)
    {
        try
        {
            return value.Length == 0 ? null : Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static IReadOnlyList<ProviderEvent> Events(byte[] body)
    {
        var envelope = Json(body);
        var data = Obj(envelope, "data");
        if (Str(data, "email_id") is not { Length: > 0 } emailId)
        {
            return None;
        }
        return Str(envelope, "type") switch
        {
            "email.delivered" => [new ProviderEvent(emailId, ProviderEventKind.Delivered)],
            "email.bounced" => [new ProviderEvent(emailId, ProviderEventKind.Bounced,
                Str(Obj(data, "bounce"), "message") is { Length: > 0 } message ? message : "bounced")],
            _ => None,
        };
    }
}
