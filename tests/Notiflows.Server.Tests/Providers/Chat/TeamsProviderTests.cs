using System.Text.Json.Nodes;
using Notiflows.Core.Channels;
using Notiflows.Core.Delivery;
using ProviderNames = Notiflows.Core.Channels.Providers;

namespace Notiflows.Server.Tests.Providers.Chat;

public sealed class TeamsProviderTests : ChatProviderTests
{
    private JsonObject Settings => new() { ["webhook_url"] = Server.Url + "/workflows/abc/triggers/manual/paths/invoke?sig=s3cr3t" };

    private Task<ProviderReply> SendAsync(JsonObject data, JsonObject? settings = null) =>
        Provider(ProviderNames.MsTeams).SendAsync(Message(ChannelTypes.Chat, ProviderNames.MsTeams, [], data, settings: settings ?? Settings), Ct);

    [Fact]
    public async Task Send_Markdown_PostsAnAdaptiveCardMessage()
    {
        Server.Answer(new FakeAnswer(202));

        var reply = await SendAsync(new JsonObject { ["body"] = "**Ann** commented", ["content_type"] = "markdown" });

        AssertReply(reply, AttemptOutcome.Success, 202);
        var request = Assert.Single(Server.Requests);
        Assert.Equal(("POST", "/workflows/abc/triggers/manual/paths/invoke", "?sig=s3cr3t"), (request.Method, request.Path, request.Query));
        Assert.Equal("application/json; charset=utf-8", request.Header("content-type"));
        var expected = JsonNode.Parse("""
            {"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","contentUrl":null,
             "content":{"$schema":"http://adaptivecards.io/schemas/adaptive-card.json","type":"AdaptiveCard","version":"1.4",
                        "body":[{"type":"TextBlock","text":"**Ann** commented","wrap":true}]}}]}
            """);
        Assert.True(JsonNode.DeepEquals(expected, request.Json), request.Text);
    }

    [Fact]
    public async Task Send_Json_PostsThePayloadAsIs()
    {
        var payload = JsonNode.Parse("""{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","content":{"type":"AdaptiveCard"}}]}""")!;

        await SendAsync(new JsonObject { ["body"] = payload, ["content_type"] = "json" });

        Assert.True(JsonNode.DeepEquals(payload, Assert.Single(Server.Requests).Json));
    }

    [Fact]
    public async Task Send_NoWebhookUrl_IsPermanentWithoutARequest()
    {
        var reply = await SendAsync(new JsonObject { ["body"] = "hi", ["content_type"] = "markdown" }, new JsonObject { ["slack_user_id"] = "U1" });

        AssertReply(reply, AttemptOutcome.Permanent, null, "no webhook_url");
        Assert.Empty(Server.Requests);
    }

    [Theory]
    [InlineData(400, AttemptOutcome.Permanent)]
    [InlineData(404, AttemptOutcome.Permanent)]
    [InlineData(429, AttemptOutcome.Retryable)]
    [InlineData(500, AttemptOutcome.Retryable)]
    public async Task Send_TeamsError_IsClassifiedByStatus(int status, AttemptOutcome outcome)
    {
        Server.Answer(new FakeAnswer(status, "Bad payload"));

        AssertReply(await SendAsync(new JsonObject { ["body"] = "hi", ["content_type"] = "markdown" }), outcome, status, "Bad payload");
    }

    [Fact]
    public async Task Send_LegacyThrottlingIn200_IsRetryable429()
    {
        Server.Answer(new FakeAnswer(200, "Microsoft Teams endpoint returned HTTP error 429 with ContextId tcid=0"));

        AssertReply(await SendAsync(new JsonObject { ["body"] = "hi", ["content_type"] = "markdown" }), AttemptOutcome.Retryable, 429, "HTTP error 429");
    }

    [Fact]
    public async Task Send_TeamsTooSlow_TimesOutAfter30sAsRetryable()
    {
        var message = Message(ChannelTypes.Chat, ProviderNames.MsTeams, [], new JsonObject { ["body"] = "hi", ["content_type"] = "markdown" }, settings: Settings);

        AssertReply(await SendTimingOutAsync(Provider(ProviderNames.MsTeams), message, TimeSpan.FromSeconds(30)), AttemptOutcome.Retryable, null, "timed out");
    }

    [Fact]
    public async Task Send_ConnectionDropped_IsRetryableWithoutStatus()
    {
        Server.Answer(FakeAnswer.Dropped);

        AssertReply(await SendAsync(new JsonObject { ["body"] = "hi", ["content_type"] = "markdown" }), AttemptOutcome.Retryable, null, "network error");
    }
}
