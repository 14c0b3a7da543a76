using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Notiflows.Core.Delivery;

namespace Notiflows.Server.Providers.Chat;

/// <summary>
/// The <c>slack</c> provider: <c>POST https://slack.com/api/chat.postMessage</c> with the bot token as
/// <c>Authorization: Bearer xoxb-…</c> and a JSON body (https://docs.slack.dev/reference/methods/chat.postMessage).
/// The channel is the user's <c>slack_channel_id</c>, else their <c>slack_user_id</c>: chat.postMessage accepts a user id
/// as <c>channel</c> and posts to the app's DM with that user, so no <c>conversations.open</c> call is needed. Markdown
/// goes as mrkdwn <c>text</c>; a json template posts Block Kit: an array is the <c>blocks</c>, an object is the message
/// (<c>text</c>, <c>blocks</c>, <c>attachments</c>, …). Slack answers failures with HTTP 200 <c>{ok: false, error}</c>;
/// transient errors and HTTP 429 (with <c>Retry-After</c>) are retryable, the rest (<c>channel_not_found</c>,
/// <c>not_in_channel</c>, <c>invalid_auth</c>, …) permanent. The message id is the posted message's <c>ts</c>.
/// </summary>
internal sealed class SlackProvider(ProviderHttp http) : IChannelProvider
{
    private const string Endpoint = "https://slack.com/api";

    /// <summary>Slack's documented transient errors (https://docs.slack.dev/apis/web-api/#errors, rate limits).</summary>
    private static readonly HashSet<string> Transient = new(StringComparer.Ordinal)
    {
        "ratelimited", "rate_limited", "internal_error", "fatal_error", "service_unavailable", "request_timeout",
    };

    public string Provider => Core.Channels.Providers.Slack;

    public async Task<ProviderReply> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        var channel = message.TargetSettings.Text("slack_channel_id") ?? message.TargetSettings.Text("slack_user_id");
        if (channel is null)
        {
            return ProviderReply.Permanent("the user's slack settings have neither slack_channel_id nor slack_user_id");
        }

        if (Payload(message.Data) is not { } payload)
        {
            return ProviderReply.Permanent("a json slack template must render an array of blocks or a message object");
        }

        payload["channel"] = channel;
        using var request = new HttpRequestMessage(HttpMethod.Post, http.BaseUrl(Provider, Endpoint) + "/chat.postMessage")
        {
            Content = ChatPayload.Content(payload),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", message.Config.Text("bot_token"));
        var answer = await http.SendAsync(request, ct);
        if (answer.Status != 200 || answer.Json() is not { } json)
        {
            return answer.Reply();
        }

        if (json["ok"] is JsonValue ok && ok.TryGetValue<bool>(out var success) && success)
        {
            return ProviderReply.Ok(200, json.Text("ts"));
        }

        var error = json.Text("error") ?? "unknown_error";
        return answer.Reply(error: $"slack: {error}", outcome: Transient.Contains(error) ? AttemptOutcome.Retryable : AttemptOutcome.Permanent);
    }

    private static JsonObject? Payload(JsonObject data) =>
        data["body"] is JsonArray blocks && data.Text("content_type") == "json"
            ? new JsonObject { ["blocks"] = blocks.DeepClone() }
            : ChatPayload.Of(data, text => new JsonObject { ["text"] = SlackMrkdwn.Convert(text) });
}
