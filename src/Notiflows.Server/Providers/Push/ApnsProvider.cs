using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Notiflows.Core.Delivery;
using ChannelProviders = Notiflows.Core.Channels.Providers;

namespace Notiflows.Server.Providers.Push;

/// <summary>
/// Apple Push Notification service (§14.2 <c>apns</c>), "Sending notification requests to APNs": HTTP/2 only,
/// <c>POST /3/device/{token}</c> with <c>apns-topic</c> (bundle id), <c>apns-push-type: alert</c> and, when the template
/// sets them, <c>apns-priority</c>, <c>apns-expiration</c>, <c>apns-collapse-id</c>. Key auth adds
/// <c>authorization: bearer &lt;provider token&gt;</c>; certificate auth has no authorization header and presents the
/// channel's .p12 for TLS client authentication instead (<see cref="ApnsCertificateClients"/>). Errors carry
/// <c>{reason}</c>: 410 / Unregistered / BadDeviceToken mean the token is gone; ExpiredProviderToken renews the provider
/// token and is retried.
/// </summary>
public sealed class ApnsProvider(ProviderHttp http, ApnsTokens tokens, ApnsCertificateClients certificates) : IChannelProvider
{
    public const string Production = "https://api.push.apple.com";
    public const string Sandbox = "https://api.sandbox.push.apple.com";

    public string Provider => ChannelProviders.Apns;

    /// <summary>The documented host of the channel's environment.</summary>
    public static string Host(string? environment) => environment == "sandbox" ? Sandbox : Production;

    public async Task<ProviderReply> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        var config = message.Config;
        HttpMessageInvoker? invoker = null;
        string? token = null;
        var (teamId, keyId, key) = (config.Text("team_id") ?? "", config.Text("key_id") ?? "", config.Text("key") ?? "");
        if (config.Text("auth_type") == "certificate")
        {
            (invoker, var unusable) = certificates.Get(config.Text("certificate") ?? "", config.Text("certificate_password"));
            if (invoker is null)
                return ProviderReply.Permanent(unusable!);
        }
        else
        {
            try
            {
                token = tokens.Get(teamId, keyId, key);
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException)
            {
                return ProviderReply.Permanent("the channel's key is not a usable ES256 (.p8) key");
            }
        }

        var url = $"{http.BaseUrl(Provider, Host(config.Text("environment")))}/3/device/{Uri.EscapeDataString(message.Target ?? "")}";
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = JsonContent.Create(ApnsMessage.Build(message.Data)),
        };
        var data = message.Data;
        if (token is not null)
            request.Headers.TryAddWithoutValidation("authorization", $"bearer {token}");
        request.Headers.TryAddWithoutValidation("apns-topic", config.Text("bundle_id"));
        request.Headers.TryAddWithoutValidation("apns-push-type", "alert");
        if (data.Text("priority") is { } priority)
            request.Headers.TryAddWithoutValidation("apns-priority", priority == "high" ? "10" : "5");
        if (data.Integer("ttl") is { } ttl)
            request.Headers.TryAddWithoutValidation("apns-expiration",
                http.Time.GetUtcNow().AddSeconds(ttl).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        if (data.Text("collapse_id") is { } collapseId)
            request.Headers.TryAddWithoutValidation("apns-collapse-id", collapseId);

        var answer = invoker is null ? await http.SendAsync(request, ct) : await http.SendAsync(invoker, request, ct);
        var reason = answer.IsSuccess ? null : answer.Json().Text("reason");
        var error = reason is null ? null : $"HTTP {answer.Status} {reason}";
        if (reason == "ExpiredProviderToken")
        {
            tokens.Expire(teamId, keyId, key);
            return answer.Reply(error: error, outcome: AttemptOutcome.Retryable);
        }
        return answer.Reply(answer.Header("apns-id"), error, targetGone: answer.Status == 410 || reason is "BadDeviceToken" or "Unregistered");
    }
}
