using System.Text.Json.Nodes;
using Notiflows.Core.Channels;
using Notiflows.Core.Delivery;
using ProviderNames = Notiflows.Core.Channels.Providers;

namespace Notiflows.Server.Tests.Providers.Chat;

public sealed class SlackProviderTests : ChatProviderTests
{
    private const string Token = "xoxb-123-456-abc";
    private const string Posted = """{"ok":true,"channel":"C0123","ts":"1503435956.000247","message":{"text":"hi"}}""";

    private static JsonObject Markdown(string body) => new() { ["body"] = body, ["content_type"] = "markdown" };

    private static JsonObject Json(JsonNode body) => new() { ["body"] = body, ["content_type"] = "json" };

    private Task<ProviderReply> SendAsync(JsonObject data, JsonObject? settings = null) =>
        Provider(ProviderNames.Slack).SendAsync(Message(ChannelTypes.Chat, ProviderNames.Slack, new JsonObject { ["bot_token"] = Token }, data,
            settings: settings ?? new JsonObject { ["slack_channel_id"] = "C0123" }), Ct);

    [Fact]
    public async Task Send_Markdown_PostsMrkdwnTextWithTheBotToken()
    {
        Server.Answer(FakeAnswer.Json(200, Posted));

        var reply = await SendAsync(Markdown("**Ann** commented on [the doc](https://x.test/d)"));

        AssertReply(reply, AttemptOutcome.Success, 200);
        Assert.Equal("1503435956.000247", reply.ProviderMessageId);
        var request = Assert.Single(Server.Requests);
        Assert.Equal(("POST", "/api/chat.postMessage"), (request.Method, request.Path));
        Assert.Equal($"Bearer {Token}", request.Header("authorization"));
        Assert.Equal("application/json; charset=utf-8", request.Header("content-type"));
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["text"] = "*Ann* commented on <https://x.test/d|the doc>", ["channel"] = "C0123" },
            request.Json), request.Text);
    }

    [Theory]
    [InlineData("""{"slack_user_id":"U042","slack_channel_id":"C0123"}""", "C0123")]
    [InlineData("""{"slack_user_id":"U042"}""", "U042")]
    public async Task Send_Channel_IsTheChannelIdElseTheUserIdForADm(string settings, string channel)
    {
        Server.Answer(FakeAnswer.Json(200, Posted));

        await SendAsync(Markdown("hi"), JsonNode.Parse(settings)!.AsObject());

        Assert.Equal(channel, (string?)Assert.Single(Server.Requests).Json["channel"]);
    }

    [Fact]
    public async Task Send_JsonArray_PostsItAsBlocks()
    {
        Server.Answer(FakeAnswer.Json(200, Posted));
        var blocks = JsonNode.Parse("""[{"type":"section","text":{"type":"mrkdwn","text":"*hi*"}}]""")!;

        await SendAsync(Json(blocks));

        var body = Assert.Single(Server.Requests).Json;
        Assert.True(JsonNode.DeepEquals(blocks, body["blocks"]));
        Assert.Equal("C0123", (string?)body["channel"]);
        Assert.Null(body["text"]);
    }

    [Fact]
    public async Task Send_JsonObject_PostsItAsTheMessage()
    {
        Server.Answer(FakeAnswer.Json(200, Posted));
        var message = JsonNode.Parse("""{"text":"fallback","blocks":[{"type":"divider"}],"unfurl_links":false}""")!;

        await SendAsync(Json(message));

        var expected = message.DeepClone().AsObject();
        expected["channel"] = "C0123";
        Assert.True(JsonNode.DeepEquals(expected, Assert.Single(Server.Requests).Json));
    }

    [Fact]
    public async Task Send_NoSlackIds_IsPermanentWithoutARequest()
    {
        var reply = await SendAsync(Markdown("hi"), new JsonObject { ["discord_channel_id"] = "1" });

        AssertReply(reply, AttemptOutcome.Permanent, null, "neither slack_channel_id nor slack_user_id");
        Assert.Empty(Server.Requests);
    }

    [Fact]
    public async Task Send_JsonScalar_IsPermanentWithoutARequest()
    {
        var reply = await SendAsync(Json(JsonValue.Create(42)));

        AssertReply(reply, AttemptOutcome.Permanent, null);
        Assert.Empty(Server.Requests);
    }

    [Theory]
    [InlineData("channel_not_found", AttemptOutcome.Permanent)]
    [InlineData("not_in_channel", AttemptOutcome.Permanent)]
    [InlineData("invalid_auth", AttemptOutcome.Permanent)]
    [InlineData("is_archived", AttemptOutcome.Permanent)]
    [InlineData("invalid_blocks", AttemptOutcome.Permanent)]
    [InlineData("ratelimited", AttemptOutcome.Retryable)]
    [InlineData("internal_error", AttemptOutcome.Retryable)]
    [InlineData("service_unavailable", AttemptOutcome.Retryable)]
    public async Task Send_OkFalse_IsClassifiedByTheSlackError(string error, AttemptOutcome outcome)
    {
        Server.Answer(FakeAnswer.Json(200, $$"""{"ok":false,"error":"{{error}}"}"""));

        var reply = await SendAsync(Markdown("hi"));

        AssertReply(reply, outcome, 200, $"slack: {error}");
    }

    [Fact]
    public async Task Send_429_IsRetryableWithRetryAfter()
    {
        Server.Answer(FakeAnswer.Json(429, """{"ok":false,"error":"ratelimited"}""", ("Retry-After", "30")));

        var reply = await SendAsync(Markdown("hi"));

        AssertReply(reply, AttemptOutcome.Retryable, 429);
        Assert.Equal(TimeSpan.FromSeconds(30), reply.RetryAfter);
    }

    [Theory]
    [InlineData(500, AttemptOutcome.Retryable)]
    [InlineData(503, AttemptOutcome.Retryable)]
    [InlineData(400, AttemptOutcome.Permanent)]
    [InlineData(404, AttemptOutcome.Permanent)]
    public async Task Send_HttpError_IsClassifiedByStatus(int status, AttemptOutcome outcome)
    {
        Server.Answer(new FakeAnswer(status, "upstream trouble"));

        var reply = await SendAsync(Markdown("hi"));

        AssertReply(reply, outcome, status, "upstream trouble");
    }

    [Fact]
    public async Task Send_SlackTooSlow_TimesOutAfter30sAsRetryable()
    {
        var message = Message(ChannelTypes.Chat, ProviderNames.Slack, new JsonObject { ["bot_token"] = Token }, Markdown("hi"),
            settings: new JsonObject { ["slack_channel_id"] = "C0123" });

        var reply = await SendTimingOutAsync(Provider(ProviderNames.Slack), message, TimeSpan.FromSeconds(30));

        AssertReply(reply, AttemptOutcome.Retryable, null, "timed out");
    }

    [Fact]
    public async Task Send_ConnectionDropped_IsRetryableWithoutStatus()
    {
        Server.Answer(FakeAnswer.Dropped);

        AssertReply(await SendAsync(Markdown("hi")), AttemptOutcome.Retryable, null, "network error");
    }
}
