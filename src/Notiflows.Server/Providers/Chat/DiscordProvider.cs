using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Notiflows.Core.Delivery;

namespace Notiflows.Server.Providers.Chat;

/// <summary>
/// The <c>discord</c> provider. To the user's <c>webhook_url</c>: Execute Webhook, <c>POST {webhook_url}?wait=true</c>
/// (wait makes Discord return the created message, whose <c>id</c> is the provider message id;
/// https://discord.com/developers/docs/resources/webhook#execute-webhook). Else to <c>discord_channel_id</c> through the
/// channel's bot: <c>POST https://discord.com/api/v10/channels/{id}/messages</c> with <c>Authorization: Bot {token}</c>
/// (https://discord.com/developers/docs/resources/message#create-message). Markdown goes as <c>{content}</c> (Discord
/// renders Markdown), a json template as the message payload itself. A 429 carries <c>retry_after</c> seconds in its
/// body and a <c>Retry-After</c> header (https://discord.com/developers/docs/topics/rate-limits).
/// </summary>
internal sealed class DiscordProvider(ProviderHttp http) : IChannelProvider
{
    private const string Endpoint = "https://discord.com/api/v10";

    public string Provider => Core.Channels.Providers.Discord;

    public async Task<ProviderReply> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        if (Target(message) is not { } target)
        {
            return ProviderReply.Permanent(message.TargetSettings.Text("discord_channel_id") is null
                ? "the user's discord settings have neither webhook_url nor discord_channel_id"
                : "discord_channel_id needs the channel's bot_token");
        }

        if (ChatPayload.Of(message.Data, text => new JsonObject { ["content"] = text }) is not { } payload)
        {
            return ProviderReply.Permanent("a json discord template must render a message object");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = ChatPayload.Content(payload) };
        if (target.BotToken is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bot", token);
        }

        var answer = await http.SendAsync(request, ct);
        var json = answer.Json();
        var retryAfter = answer.Status == 429 && json.Number("retry_after") is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
        return answer.Reply(json.Text("id"), retryAfter: retryAfter);
    }

    private (string Url, string? BotToken)? Target(OutboundMessage message)
    {
        if (message.TargetSettings.Text("webhook_url") is { } webhook)
        {
            return (webhook + (webhook.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "wait=true", null);
        }

        return message.TargetSettings.Text("discord_channel_id") is { } channel && message.Config.Text("bot_token") is { } token
            ? ($"{http.BaseUrl(Provider, Endpoint)}/channels/{Uri.EscapeDataString(channel)}/messages", token)
            : null;
    }
}
