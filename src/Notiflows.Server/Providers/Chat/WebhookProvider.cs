using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Notiflows.Core.Channels;
using Notiflows.Core.Delivery;

namespace Notiflows.Server.Providers.Chat;

/// <summary>
/// The <c>http</c> webhook provider (§14.2): sends the rendered <c>{url, method, headers, body}</c> (§11.4) to the
/// resolved address, else the template's url, else the channel's <c>url</c>. A JSON body goes as
/// <c>application/json</c>, a text body (plaintext template) as <c>text/plain</c>; a GET carries no body. Channel headers
/// apply first and template headers override them by name. With a <c>signing_secret</c> the request is signed the
/// Standard Webhooks way (https://www.standardwebhooks.com, spec/standard-webhooks.md): <c>webhook-id</c> = the delivery
/// id (the same on every retry), <c>webhook-timestamp</c> = unix seconds, <c>webhook-signature</c> =
/// <c>v1,</c> + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")) with key = the base64 after <c>whsec_</c>.
/// </summary>
internal sealed class WebhookProvider(ProviderHttp http) : IChannelProvider
{
    private const double DefaultTimeoutSeconds = 10;

    public string Provider => Core.Channels.Providers.Http;

    public async Task<ProviderReply> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        var url = message.Address ?? message.Data.Text("url") ?? message.Config.Text("url");
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return ProviderReply.Permanent(url is null ? "no webhook url: neither the template nor the channel sets one" : "the webhook url is not an absolute http(s) URL");
        }

        var method = new HttpMethod(message.Data.Text("method") ?? "POST");
        var (body, mediaType) = Body(message.Data["body"]);
        if (method == HttpMethod.Get)
        {
            body = "";
        }

        using var request = new HttpRequestMessage(method, uri);
        if (method != HttpMethod.Get)
        {
            request.Content = new StringContent(body, Encoding.UTF8, mediaType);
        }

        AddHeaders(request, message.Config["headers"] as JsonObject);
        AddHeaders(request, message.Data["headers"] as JsonObject);
        if (message.Config.Text("signing_secret") is { } secret)
        {
            if (!WebhookSigningSecret.TryDecodeKey(secret, out var key))
            {
                return ProviderReply.Permanent("the channel's signing_secret is not whsec_ followed by base64");
            }

            Sign(request, message.DeliveryId.ToString(), http.Time.GetUtcNow().ToUnixTimeSeconds(), body, key);
        }

        var answer = await http.SendAsync(request, ct, message.Config.Number("timeout_seconds") ?? DefaultTimeoutSeconds);
        return answer.Reply();
    }

    /// <summary>The Standard Webhooks headers (replacing any configured header of the same name).</summary>
    internal static void Sign(HttpRequestMessage request, string id, long timestamp, string body, byte[] key)
    {
        var stamp = timestamp.ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{stamp}.{body}"));
        Set(request, "webhook-id", id);
        Set(request, "webhook-timestamp", stamp);
        Set(request, "webhook-signature", "v1," + Convert.ToBase64String(mac));
    }

    private static (string Body, string MediaType) Body(JsonNode? body) => body switch
    {
        null => ("", "application/json"),
        JsonValue v when v.TryGetValue<string>(out var text) => (text, "text/plain"),
        _ => (body.ToJsonString(), "application/json"),
    };

    private static void AddHeaders(HttpRequestMessage request, JsonObject? headers)
    {
        foreach (var (name, value) in headers ?? [])
        {
            if (value is JsonValue v && v.TryGetValue<string>(out var text))
            {
                Set(request, name, text);
            }
        }
    }

    /// <summary>Sets a header, replacing it: on the content for content headers (dropped on a GET, which has none).</summary>
    private static void Set(HttpRequestMessage request, string name, string value)
    {
        if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        if (ContentHeaders.Contains(name))
        {
            request.Content?.Headers.Remove(name);
            request.Content?.Headers.TryAddWithoutValidation(name, value);
            return;
        }

        request.Headers.Remove(name);
        request.Headers.TryAddWithoutValidation(name, value);
    }

    private static readonly HashSet<string> ContentHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Allow", "Content-Disposition", "Content-Encoding", "Content-Language", "Content-Location", "Content-MD5",
        "Content-Range", "Content-Type", "Expires", "Last-Modified",
    };
}
