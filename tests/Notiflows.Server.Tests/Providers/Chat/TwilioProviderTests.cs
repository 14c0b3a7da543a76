using System.Text;
using System.Text.Json.Nodes;
using Notiflows.Core.Channels;
using Notiflows.Core.Delivery;
using ProviderNames = Notiflows.Core.Channels.Providers;

namespace Notiflows.Server.Tests.Providers.Chat;

public sealed class TwilioProviderTests : ChatProviderTests
{
    private const string Sid = "AC0123456789abcdef0123456789abcdef";
    private const string Created = """{"sid":"SM9a2b3c","status":"queued","to":"+15558675310","body":"hi"}""";

    private static JsonObject Config(string? from = "+15017122661", string? service = null) => new()
    {
        ["account_sid"] = Sid, ["auth_token"] = "tok-secret", ["from"] = from, ["messaging_service_sid"] = service,
    };

    private Task<ProviderReply> SendAsync(JsonObject? config = null, string? to = "+15558675310", string body = "Your code: 1234 & more") =>
        Provider(ProviderNames.Twilio).SendAsync(Message(ChannelTypes.Sms, ProviderNames.Twilio, config ?? Config(),
            new JsonObject { ["body"] = body }, to), Ct);

    [Fact]
    public async Task Send_PostsTheFormWithBasicAuth_AndReturnsTheSid()
    {
        Server.Answer(FakeAnswer.Json(201, Created));

        var reply = await SendAsync();

        AssertReply(reply, AttemptOutcome.Success, 201);
        Assert.Equal("SM9a2b3c", reply.ProviderMessageId);
        var request = Assert.Single(Server.Requests);
        Assert.Equal(("POST", $"/2010-04-01/Accounts/{Sid}/Messages.json"), (request.Method, request.Path));
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Sid}:tok-secret")), request.Header("authorization"));
        Assert.Equal("application/x-www-form-urlencoded", request.Header("content-type"));
        Assert.Equal(new Dictionary<string, string> { ["To"] = "+15558675310", ["From"] = "+15017122661", ["Body"] = "Your code: 1234 & more" },
            request.Form);
    }

    [Fact]
    public async Task Send_WithMessagingService_SendsMessagingServiceSidInsteadOfFrom()
    {
        Server.Answer(FakeAnswer.Json(201, Created));

        await SendAsync(Config(from: null, service: "MG0123"));

        var form = Assert.Single(Server.Requests).Form;
        Assert.Equal("MG0123", form["MessagingServiceSid"]);
        Assert.False(form.ContainsKey("From"));
    }

    [Fact]
    public async Task Send_NoPhone_IsPermanentWithoutARequest()
    {
        AssertReply(await SendAsync(to: null), AttemptOutcome.Permanent, null, "no phone number");
        Assert.Empty(Server.Requests);
    }

    [Theory]
    [InlineData(400, 21211, "The 'To' number +1555 is not a valid phone number.", AttemptOutcome.Permanent)]
    [InlineData(400, 21614, "'To' number is not a valid mobile number", AttemptOutcome.Permanent)]
    [InlineData(400, 21610, "Attempt to send to unsubscribed recipient", AttemptOutcome.Permanent)]
    [InlineData(401, 20003, "Authenticate", AttemptOutcome.Permanent)]
    [InlineData(429, 20429, "Too Many Requests", AttemptOutcome.Retryable)]
    [InlineData(500, 20500, "Internal Server Error", AttemptOutcome.Retryable)]
    [InlineData(503, 20503, "Service Unavailable", AttemptOutcome.Retryable)]
    public async Task Send_TwilioError_IsClassifiedWithItsCode(int status, int code, string text, AttemptOutcome outcome)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = text, ["more_info"] = $"https://www.twilio.com/docs/errors/{code}", ["status"] = status };
        Server.Answer(FakeAnswer.Json(status, error.ToJsonString()));

        var reply = await SendAsync();

        AssertReply(reply, outcome, status, $"twilio {code}: {text}");
        Assert.Null(reply.ProviderMessageId);
    }

    [Fact]
    public async Task Send_429WithRetryAfter_HonoursIt()
    {
        Server.Answer(FakeAnswer.Json(429, """{"code":20429,"message":"Too Many Requests"}""", ("Retry-After", "7")));

        var reply = await SendAsync();

        AssertReply(reply, AttemptOutcome.Retryable, 429);
        Assert.Equal(TimeSpan.FromSeconds(7), reply.RetryAfter);
    }

    [Fact]
    public async Task Send_TwilioTooSlow_TimesOutAfter30sAsRetryable()
    {
        var message = Message(ChannelTypes.Sms, ProviderNames.Twilio, Config(), new JsonObject { ["body"] = "hi" }, "+15558675310");

        AssertReply(await SendTimingOutAsync(Provider(ProviderNames.Twilio), message, TimeSpan.FromSeconds(30)), AttemptOutcome.Retryable, null, "timed out");
    }

    [Fact]
    public async Task Send_ConnectionDropped_IsRetryableWithoutStatus()
    {
        Server.Answer(FakeAnswer.Dropped);

        AssertReply(await SendAsync(), AttemptOutcome.Retryable, null, "network error");
    }
}
