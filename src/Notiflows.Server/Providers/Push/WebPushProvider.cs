using System.Buffers.Text;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Notiflows.Core.Delivery;
using ChannelProviders = Notiflows.Core.Channels.Providers;

namespace Notiflows.Server.Providers.Push;

/// <summary>
/// Web push (§14.2 <c>webpush</c>): an RFC 8030 §5 push message POSTed to the subscription's endpoint, the rendered data
/// (§11.4 <c>{title, body, icon, image, action_url}</c>) as JSON encrypted per RFC 8291, identified with VAPID (RFC 8292).
/// 201 (any 2xx) is success; 404 and 410 mean the subscription is gone (RFC 8030 §7.3, §8.3).
/// </summary>
public sealed class WebPushProvider(ProviderHttp http) : IChannelProvider
{
    /// <summary>How long the push service keeps an undelivered message: four weeks, as the common libraries do.</summary>
    public const int TimeToLiveSeconds = 2_419_200;

    /// <summary>The VAPID token's lifetime: RFC 8292 §2 allows at most 24 hours.</summary>
    public static readonly TimeSpan TokenLifetime = TimeSpan.FromHours(12);

    public string Provider => ChannelProviders.WebPush;

    public async Task<ProviderReply> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        var endpoint = message.TargetSettings.Text("endpoint");
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var endpointUri))
            return ProviderReply.Permanent("the subscription has no valid endpoint");
        var payload = Encoding.UTF8.GetBytes(message.Data.ToJsonString());
        if (payload.Length > WebPushEncryption.MaxPlaintext)
            return ProviderReply.Permanent($"the payload is {payload.Length} bytes; web push allows {WebPushEncryption.MaxPlaintext}");

        byte[] body;
        try
        {
            body = WebPushEncryption.Encrypt(payload, Decode(message.TargetSettings.Text("p256dh")), Decode(message.TargetSettings.Text("auth")));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return ProviderReply.Permanent("the subscription's p256dh or auth key is invalid");
        }

        string authorization;
        try
        {
            authorization = Vapid(message.Config, endpointUri);
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return ProviderReply.Permanent("the channel's VAPID key pair is invalid");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, endpointUri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Content.Headers.ContentEncoding.Add("aes128gcm");
        request.Headers.TryAddWithoutValidation("TTL", TimeToLiveSeconds.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("Urgency", "normal");
        request.Headers.TryAddWithoutValidation("Authorization", authorization);

        var answer = await http.SendAsync(request, ct);
        return answer.Reply(answer.Headers?.Location?.ToString(), targetGone: answer.Status is 404 or 410);
    }

    /// <summary>
    /// RFC 8292 §3: <c>vapid t=&lt;JWT&gt;, k=&lt;public key&gt;</c>; the JWT (ES256 with the VAPID private key) carries
    /// <c>aud</c> = the endpoint's origin, <c>exp</c> (≤ 24 h ahead) and <c>sub</c> = the channel's contact URI (§2).
    /// </summary>
    private string Vapid(JsonObject config, Uri endpoint)
    {
        var publicKey = config.Text("vapid_public_key") ?? "";
        var parameters = WebPushEncryption.PublicParameters(Decode(publicKey));
        parameters.D = Decode(config.Text("vapid_private_key"));
        using var key = ECDsa.Create(parameters);
        var expires = http.Time.GetUtcNow() + TokenLifetime;
        var token = PushJwt.Es256(
            new JsonObject { ["typ"] = "JWT", ["alg"] = "ES256" },
            new JsonObject
            {
                ["aud"] = endpoint.GetLeftPart(UriPartial.Authority),
                ["exp"] = expires.ToUnixTimeSeconds(),
                ["sub"] = config.Text("vapid_subject"),
            },
            key);
        return $"vapid t={token}, k={publicKey}";
    }

    private static byte[] Decode(string? base64Url) => Base64Url.DecodeFromChars((base64Url ?? "").TrimEnd('='));
}
