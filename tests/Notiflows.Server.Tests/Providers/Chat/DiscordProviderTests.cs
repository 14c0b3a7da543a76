using System.Text.Json.Nodes;
using Notiflows.Core.Channels;
using Notiflows.Core.Delivery;
using ProviderNames = Notiflows.Core.Channels.Providers;

namespace Notiflows.Server.Tests.Providers.Chat;

public sealed class DiscordProviderTests : ChatProviderTests
{
    private const string Created = """{"id":"1180000000000000001","channel_id":"99","content":"hi"}""";

    private static JsonObject Markdown(string body) => new() { ["body"] = body, ["content_type"] = "markdown" };

    private JsonObject Webhook => new() { ["webhook_url"] = Server.Url + "/api/webhooks/123/tok" };

    private Task<ProviderReply> SendAsync(JsonObject data, JsonObject settings, string? botToken = null) =>
        Provider(ProviderNames.Discord).SendAsync(Message(ChannelTypes.Chat, ProviderNames.Discord, new JsonObject { ["bot_token"] = botToken },
            data, settings: settings), Ct);

    [Fact]
    public async Task Send_MarkdownToWebhook_ExecutesItWithWaitAndReturnsTheMessageId()
    {
        Server.Answer(FakeAnswer.Json(200, Created));

        var reply = await SendAsync(Markdown("**Ann** commented <here>"), Webhook);

        AssertReply(reply, AttemptOutcome.Success, 200);
        Assert.Equal("1180000000000000001", reply.ProviderMessageId);
        var request = Assert.Single(Server.Requests);
        Assert.Equal(("POST", "/api/webhooks/123/tok", "?wait=true"), (request.Method, request.Path, request.Query));
        Assert.Null(request.Header("authorization"));
        Assert.Equal("application/json; charset=utf-8", request.Header("content-type"));
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["content"] = "**Ann** commented <here>" }, request.Json), request.Text);
    }

    [Fact]
    public async Task Send_WebhookUrlWithThreadQuery_AppendsWait()
    {
        await SendAsync(Markdown("hi"), new JsonObject { ["webhook_url"] = Server.Url + "/api/webhooks/1/t?thread_id=5" });

        Assert.Equal("?thread_id=5&wait=true", Assert.Single(Server.Requests).Query);
    }

    [Fact]
    public async Task Send_Json_PostsThePayloadAsIs()
    {
        var payload = JsonNode.Parse("""{"content":"x","embeds":[{"title":"T","description":"D"}],"username":"Notiflows"}""")!;

        await SendAsync(new JsonObject { ["body"] = payload, ["content_type"] = "json" }, Webhook);

        Assert.True(JsonNode.DeepEquals(payload, Assert.Single(Server.Requests).Json));
    }

    [Fact]
    public async Task Send_ChannelIdWithBotToken_CreatesAMessageAsTheBot()
    {
        Server.Answer(FakeAnswer.Json(200, Created));

        var reply = await SendAsync(Markdown("hi"), new JsonObject { ["discord_channel_id"] = "99" }, "bot-secret");

        AssertReply(reply, AttemptOutcome.Success, 200);
        var request = Assert.Single(Server.Requests);
        Assert.Equal(("POST", "/api/v10/channels/99/messages"), (request.Method, request.Path));
        Assert.Equal("Bot bot-secret", request.Header("authorization"));
        Assert.Equal("hi", (string?)request.Json["content"]);
    }

    [Fact]
    public async Task Send_WebhookUrlAndChannelId_PrefersTheWebhook()
    {
        var settings = Webhook;
        settings["discord_channel_id"] = "99";

        await SendAsync(Markdown("hi"), settings, "bot-secret");

        Assert.Equal("/api/webhooks/123/tok", Assert.Single(Server.Requests).Path);
    }

    [Theory]
    [InlineData("""{"discord_channel_id":"99"}""", "needs the channel's bot_token")]
    [InlineData("""{"slack_user_id":"U1"}""", "neither webhook_url nor discord_channel_id")]
    public async Task Send_NoUsableTarget_IsPermanentWithoutARequest(string settings, string error)
    {
        AssertReply(await SendAsync(Markdown("hi"), JsonNode.Parse(settings)!.AsObject()), AttemptOutcome.Permanent, null, error);
        Assert.Empty(Server.Requests);
    }

    [Fact]
    public async Task Send_429_IsRetryableAfterTheBodysRetryAfter()
    {
        Server.Answer(FakeAnswer.Json(429, """{"message":"You are being rate limited.","retry_after":2.5,"global":false}""", ("Retry-After", "3")));

        var reply = await SendAsync(Markdown("hi"), Webhook);

        AssertReply(reply, AttemptOutcome.Retryable, 429);
        Assert.Equal(TimeSpan.FromSeconds(2.5), reply.RetryAfter);
    }

    [Theory]
    [InlineData(404, """{"message":"Unknown Webhook","code":10015}""", AttemptOutcome.Permanent)]
    [InlineData(400, """{"message":"Cannot send an empty message","code":50006}""", AttemptOutcome.Permanent)]
    [InlineData(403, """{"message":"Missing Access","code":50001}""", AttemptOutcome.Permanent)]
    [InlineData(500, "{}", AttemptOutcome.Retryable)]
    [InlineData(502, "{}", AttemptOutcome.Retryable)]
    public async Task Send_DiscordError_IsClassifiedByStatus(int status, string body, AttemptOutcome outcome)
    {
        Server.Answer(FakeAnswer.Json(status, body));

        AssertReply(await SendAsync(Markdown("hi"), Webhook), outcome, status, body);
    }

    [Fact]
    public async Task Send_DiscordTooSlow_TimesOutAfter30sAsRetryable()
    {
        var message = Message(ChannelTypes.Chat, ProviderNames.Discord, [], Markdown("hi"), settings: Webhook);

        AssertReply(await SendTimingOutAsync(Provider(ProviderNames.Discord), message, TimeSpan.FromSeconds(30)), AttemptOutcome.Retryable, null, "timed out");
    }

    [Fact]
    public async Task Send_ConnectionRefused_IsRetryableWithoutStatus()
    {
        var reply = await SendAsync(Markdown("hi"), new JsonObject { ["webhook_url"] = await RefusingUrlAsync() + "/api/webhooks/1/t" });

        AssertReply(reply, AttemptOutcome.Retryable, null, "network error");
    }
}
