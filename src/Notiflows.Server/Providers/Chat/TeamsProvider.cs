using System.Text.Json.Nodes;
using Notiflows.Core.Delivery;

namespace Notiflows.Server.Providers.Chat;

/// <summary>
/// The <c>msteams</c> provider: <c>POST</c> to the user's <c>webhook_url</c> (a Teams incoming webhook or a Power Automate
/// Workflows "when a Teams webhook request is received" URL). Markdown goes as a message with one Adaptive Card whose
/// TextBlock carries the text (Adaptive Cards render a Markdown subset) — the format Microsoft documents for both
/// (https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#send-adaptive-cards-using-an-incoming-webhook);
/// the legacy MessageCard is not used since Office 365 connectors are retired. A json template is posted as is.
/// Workflows answer 202, incoming webhooks 200; legacy connectors report throttling as a 200 whose text names HTTP 429.
/// </summary>
internal sealed class TeamsProvider(ProviderHttp http) : IChannelProvider
{
    public string Provider => Core.Channels.Providers.MsTeams;

    public async Task<ProviderReply> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        if (message.TargetSettings.Text("webhook_url") is not { } url)
        {
            return ProviderReply.Permanent("the user's msteams settings have no webhook_url");
        }

        if (ChatPayload.Of(message.Data, Card) is not { } payload)
        {
            return ProviderReply.Permanent("a json msteams template must render a message object");
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = ChatPayload.Content(payload) };
        var answer = await http.SendAsync(request, ct);
        return answer.Status is >= 200 and < 300 && answer.Body.Contains("HTTP error 429", StringComparison.Ordinal)
            ? new ProviderReply(AttemptOutcome.Retryable, 429, HttpAnswer.Excerpt(answer.Body))
            : answer.Reply();
    }

    private static JsonObject Card(string markdown) => new()
    {
        ["type"] = "message",
        ["attachments"] = new JsonArray(new JsonObject
        {
            ["contentType"] = "application/vnd.microsoft.card.adaptive",
            ["contentUrl"] = null,
            ["content"] = new JsonObject
            {
                ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
                ["type"] = "AdaptiveCard",
                ["version"] = "1.4",
                ["body"] = new JsonArray(new JsonObject { ["type"] = "TextBlock", ["text"] = markdown, ["wrap"] = true }),
            },
        }),
    };
}
