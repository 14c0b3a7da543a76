using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Notiflows.Core.Channels;
using Notiflows.Core.Delivery;
using ProviderNames = Notiflows.Core.Channels.Providers;

namespace Notiflows.Server.Tests.Providers.Chat;

public sealed class WebhookProviderTests : ChatProviderTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private JsonObject Config(string? path = "/channel", string? secret = Secret, JsonObject? headers = null, int timeout = 10) => new()
    {
        ["url"] = path is null ? null : Server.Url + path,
        ["headers"] = headers ?? new JsonObject(),
        ["signing_secret"] = secret,
        ["timeout_seconds"] = timeout,
    };

    private static JsonObject Data(JsonNode? body, string method = "POST", string? url = null, JsonObject? headers = null) => new()
    {
        ["url"] = url,
        ["method"] = method,
        ["headers"] = headers ?? new JsonObject(),
        ["body"] = body,
    };

    private Task<ProviderReply> SendAsync(JsonObject config, JsonObject data, Guid? deliveryId = null, string? address = null) =>
        Provider(ProviderNames.Http).SendAsync(Message(ChannelTypes.Webhook, ProviderNames.Http, config, data, address, deliveryId: deliveryId), Ct);

    /// <summary>Verifies a request the way a Standard Webhooks receiver does, from the documented algorithm.</summary>
    private static void AssertSigned(FakeRequest request, Guid deliveryId, DateTimeOffset at)
    {
        Assert.Equal(deliveryId.ToString(), request.Header("webhook-id"));
        Assert.Equal(at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), request.Header("webhook-timestamp"));
        var key = Convert.FromBase64String(Secret["whsec_".Length..]);
        var signed = $"{request.Header("webhook-id")}.{request.Header("webhook-timestamp")}.{request.Text}";
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(signed)));
        Assert.Equal(expected, request.Header("webhook-signature"));
    }

    [Fact]
    public async Task Send_JsonBody_PostsItSignedWithMergedHeaders()
    {
        var id = Guid.NewGuid();
        var config = Config(headers: new JsonObject { ["X-Api-Key"] = "k1", ["X-Both"] = "channel" });
        var data = Data(new JsonObject { ["event"] = "comment", ["n"] = 1 }, headers: new JsonObject { ["x-both"] = "template" });

        var reply = await SendAsync(config, data, id);

        AssertReply(reply, AttemptOutcome.Success, 200);
        Assert.Null(reply.ProviderMessageId);
        var request = Assert.Single(Server.Requests);
        Assert.Equal(("POST", "/channel"), (request.Method, request.Path));
        Assert.Equal("application/json; charset=utf-8", request.Header("content-type"));
        Assert.Equal("""{"event":"comment","n":1}""", request.Text);
        Assert.Equal("k1", request.Header("x-api-key"));
        Assert.Equal("template", request.Header("x-both"));
        AssertSigned(request, id, Start);
    }

    [Fact]
    public async Task Send_Retried_KeepsWebhookIdWithFreshTimestampAndSignature()
    {
        var id = Guid.NewGuid();
        await SendAsync(Config(), Data(new JsonObject { ["a"] = 1 }), id);
        Time.Advance(TimeSpan.FromSeconds(75));
        await SendAsync(Config(), Data(new JsonObject { ["a"] = 1 }), id);

        var (first, second) = (Server.Requests[0], Server.Requests[1]);
        AssertSigned(first, id, Start);
        AssertSigned(second, id, Start.AddSeconds(75));
        Assert.NotEqual(first.Header("webhook-signature"), second.Header("webhook-signature"));
    }

    [Fact]
    public async Task Send_PlaintextBodyWithPut_SendsTextPlain()
    {
        var id = Guid.NewGuid();
        await SendAsync(Config(), Data("Ann commented & left", "PUT"), id);

        var request = Assert.Single(Server.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("text/plain; charset=utf-8", request.Header("content-type"));
        Assert.Equal("Ann commented & left", request.Text);
        AssertSigned(request, id, Start);
    }

    [Fact]
    public async Task Send_Get_HasNoBodyAndSignsTheEmptyBody()
    {
        var id = Guid.NewGuid();
        await SendAsync(Config(), Data(new JsonObject { ["ignored"] = true }, "GET"), id);

        var request = Assert.Single(Server.Requests);
        Assert.Equal(("GET", ""), (request.Method, request.Text));
        AssertSigned(request, id, Start);
    }

    [Fact]
    public async Task Send_TemplateHeaderContentType_OverridesTheDefault()
    {
        await SendAsync(Config(), Data(new JsonObject { ["a"] = 1 }, headers: new JsonObject { ["Content-Type"] = "application/cloudevents+json" }));

        Assert.Equal("application/cloudevents+json", Assert.Single(Server.Requests).Header("content-type"));
    }

    [Fact]
    public async Task Send_WithoutSigningSecret_SendsNoSignatureHeaders()
    {
        await SendAsync(Config(secret: null), Data(new JsonObject()));

        var request = Assert.Single(Server.Requests);
        Assert.Null(request.Header("webhook-id"));
        Assert.Null(request.Header("webhook-signature"));
    }

    [Theory]
    [InlineData(null, "/template", "/template")]
    [InlineData("/address", "/template", "/address")]
    [InlineData(null, null, "/channel")]
    public async Task Send_Url_IsTheAddressElseTheTemplateUrlElseTheChannelUrl(string? address, string? template, string expected)
    {
        await SendAsync(Config(), Data(new JsonObject(), url: template is null ? null : Server.Url + template), address: address is null ? null : Server.Url + address);

        Assert.Equal(expected, Assert.Single(Server.Requests).Path);
    }

    [Fact]
    public async Task Send_NoUrlAnywhere_IsPermanentWithoutARequest()
    {
        var reply = await SendAsync(Config(path: null), Data(new JsonObject()));

        AssertReply(reply, AttemptOutcome.Permanent, null, "no webhook url");
        Assert.Empty(Server.Requests);
    }

    [Theory]
    [InlineData(201, AttemptOutcome.Success)]
    [InlineData(204, AttemptOutcome.Success)]
    [InlineData(400, AttemptOutcome.Permanent)]
    [InlineData(401, AttemptOutcome.Permanent)]
    [InlineData(404, AttemptOutcome.Permanent)]
    [InlineData(410, AttemptOutcome.Permanent)]
    [InlineData(408, AttemptOutcome.Retryable)]
    [InlineData(429, AttemptOutcome.Retryable)]
    [InlineData(500, AttemptOutcome.Retryable)]
    [InlineData(503, AttemptOutcome.Retryable)]
    public async Task Send_ReceiverStatus_IsClassified(int status, AttemptOutcome outcome)
    {
        Server.Answer(new FakeAnswer(status, status >= 300 ? "nope" : ""));

        var reply = await SendAsync(Config(), Data(new JsonObject()));

        AssertReply(reply, outcome, status, status >= 300 ? $"HTTP {status}: nope" : null);
    }

    [Fact]
    public async Task Send_429WithRetryAfterSeconds_HonoursIt()
    {
        Server.Answer(FakeAnswer.Json(429, "{}", ("Retry-After", "120")));

        var reply = await SendAsync(Config(), Data(new JsonObject()));

        AssertReply(reply, AttemptOutcome.Retryable, 429);
        Assert.Equal(TimeSpan.FromSeconds(120), reply.RetryAfter);
    }

    [Fact]
    public async Task Send_503WithRetryAfterDate_HonoursItFromNow()
    {
        Server.Answer(FakeAnswer.Json(503, "{}", ("Retry-After", Start.AddMinutes(5).ToString("R"))));

        var reply = await SendAsync(Config(), Data(new JsonObject()));

        AssertReply(reply, AttemptOutcome.Retryable, 503);
        Assert.Equal(TimeSpan.FromMinutes(5), reply.RetryAfter);
    }

    [Fact]
    public async Task Send_ReceiverTooSlow_TimesOutAfterTheChannelTimeoutAsRetryable()
    {
        var reply = await SendTimingOutAsync(Provider(ProviderNames.Http),
            Message(ChannelTypes.Webhook, ProviderNames.Http, Config(timeout: 3), Data(new JsonObject())), TimeSpan.FromSeconds(3));

        AssertReply(reply, AttemptOutcome.Retryable, null, "timed out after 3 s");
    }

    [Fact]
    public async Task Send_ConnectionDropped_IsRetryableWithoutStatus()
    {
        Server.Answer(FakeAnswer.Dropped);

        var reply = await SendAsync(Config(), Data(new JsonObject()));

        AssertReply(reply, AttemptOutcome.Retryable, null, "network error");
    }

    [Fact]
    public async Task Send_ConnectionRefused_IsRetryableWithoutStatus()
    {
        var reply = await SendAsync(Config(), Data(new JsonObject()), address: await RefusingUrlAsync() + "/hook");

        AssertReply(reply, AttemptOutcome.Retryable, null, "network error");
    }
}
