using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Notiflows.Core.Delivery;
using ChannelProviders = Notiflows.Core.Channels.Providers;

namespace Notiflows.Server.Providers.Push;

/// <summary>
/// Firebase Cloud Messaging HTTP v1 (§14.2 <c>fcm</c>): <c>POST https://fcm.googleapis.com/v1/projects/{project_id}/messages:send</c>
/// with a Bearer access token of the channel's service account (<see cref="GoogleAccessTokens"/>), one device token per
/// call. Errors follow https://firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode: <c>UNREGISTERED</c> (404) means the
/// token is gone; 429 and 5xx are retried. A 401 drops the cached access token and retries once with a new one.
/// </summary>
public sealed class FcmProvider(ProviderHttp http, GoogleAccessTokens tokens) : IChannelProvider
{
    public const string Endpoint = "https://fcm.googleapis.com";

    public string Provider => ChannelProviders.Fcm;

    public async Task<ProviderReply> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        if (GoogleServiceAccount.From(message.Config) is not { } account)
            return ProviderReply.Permanent("service_account_json lacks client_email or private_key");
        var url = $"{http.BaseUrl(Provider, Endpoint)}/v1/projects/{Uri.EscapeDataString(message.Config.Text("project_id") ?? "")}/messages:send";
        var body = FcmMessage.Build(message.Target ?? "", message.Data, http.Time.GetUtcNow());

        for (var attempt = 1; ; attempt++)
        {
            var (token, failure) = await tokens.GetAsync(account, ct);
            if (failure is not null)
                return failure;
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var answer = await http.SendAsync(request, ct);
            if (answer.Status == 401 && attempt == 1)
            {
                tokens.Invalidate(account);
                continue;
            }
            return Reply(answer);
        }
    }

    /// <summary>
    /// The reply: on success the message <c>name</c>; on failure the error's FCM code (from <c>details[].errorCode</c>, else
    /// <c>status</c>) and message, UNREGISTERED/404 meaning the token is gone.
    /// </summary>
    private static ProviderReply Reply(HttpAnswer answer)
    {
        if (answer.Status is null || answer.IsSuccess)
            return answer.Reply(answer.Json().Text("name"));
        var error = answer.Json()?["error"] as JsonObject;
        var code = (error?["details"] as JsonArray)?.OfType<JsonObject>().Select(d => d.Text("errorCode")).FirstOrDefault(c => c is not null)
            ?? error.Text("status");
        var text = error.Text("message");
        var gone = code == "UNREGISTERED" || answer.Status == 404;
        return answer.Reply(error: code is null ? null : $"HTTP {answer.Status} {code}: {text}", targetGone: gone);
    }
}
