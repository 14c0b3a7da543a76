using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Web;
using Notiflows.Core.Delivery;

namespace Notiflows.Server.Tests.Providers.Push;

/// <summary>
/// <c>fcm</c> on the wire: the OAuth JWT-bearer assertion posted to the service account's token_uri (verified with the
/// public half of its key), then the HTTP v1 send with the Bearer token and the exact message body.
/// </summary>
public sealed class FcmProviderTests : IAsyncLifetime
{
    private readonly RSA _accountKey = RSA.Create(2048);
    private FakeProviderServer _google = null!;
    private PushTestHost _host = null!;

    public async ValueTask InitializeAsync()
    {
        _google = await FakeProviderServer.StartAsync();
        _host = new PushTestHost(new Dictionary<string, string?> { ["Notiflows:Providers:fcm:BaseUrl"] = _google.Url });
    }

    private JsonObject Config(JsonObject? account = null) => new()
    {
        ["project_id"] = "demo-project",
        ["service_account_json"] = (account ?? Account()).ToJsonString(),
    };

    private JsonObject Account() => new()
    {
        ["type"] = "service_account",
        ["project_id"] = "demo-project",
        ["private_key_id"] = "key-1",
        ["private_key"] = _accountKey.ExportPkcs8PrivateKeyPem(),
        ["client_email"] = "notiflows@demo-project.iam.gserviceaccount.com",
        ["token_uri"] = $"{_google.Url}/token",
    };

    private static FakeAnswer Token(string token = "ya29.token-1", int expiresIn = 3599) =>
        new(200, $$"""{"access_token":"{{token}}","expires_in":{{expiresIn}},"token_type":"Bearer"}""");

    private static FakeAnswer Sent => new(200, """{"name":"projects/demo-project/messages/0:1500415314455276%31bd1c9631bd1c96"}""");

    private Task<ProviderReply> SendAsync(JsonObject? data = null, JsonObject? config = null) =>
        _host.Provider("fcm").SendAsync(
            PushTestHost.Message("mobile_push", "fcm", config ?? Config(), data ?? PushTestHost.MobilePushData(), "device-token-1"),
            TestContext.Current.CancellationToken);

    [Fact]
    public async Task Send_GetsAnAccessTokenWithASignedAssertion_ThenPostsTheMessage()
    {
        _google.Answer(Token(), Sent);

        var reply = await SendAsync();

        Assert.Equal(ProviderReply.Ok(200, "projects/demo-project/messages/0:1500415314455276%31bd1c9631bd1c96"), reply);
        var (tokenRequest, send) = (_google.Requests[0], _google.Requests[1]);
        Assert.Equal(("POST", "/token", "application/x-www-form-urlencoded"), (tokenRequest.Method, tokenRequest.Path, tokenRequest.Header("Content-Type")));
        var form = HttpUtility.ParseQueryString(tokenRequest.Text);
        Assert.Equal(["grant_type", "assertion"], form.AllKeys);
        Assert.Equal("urn:ietf:params:oauth:grant-type:jwt-bearer", form["grant_type"]);
        using var publicKey = RSA.Create(_accountKey.ExportParameters(false));
        var (header, claims) = TestJwt.VerifyRs256(form["assertion"]!, publicKey);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT", ["kid"] = "key-1" }, header));
        Assert.True(JsonNode.DeepEquals(new JsonObject
        {
            ["iss"] = "notiflows@demo-project.iam.gserviceaccount.com",
            ["scope"] = "https://www.googleapis.com/auth/firebase.messaging",
            ["aud"] = $"{_google.Url}/token",
            ["iat"] = PushTestHost.Start.ToUnixTimeSeconds(),
            ["exp"] = PushTestHost.Start.AddHours(1).ToUnixTimeSeconds(),
        }, claims), claims.ToJsonString());

        Assert.Equal(("POST", "/v1/projects/demo-project/messages:send"), (send.Method, send.Path));
        Assert.Equal("Bearer ya29.token-1", send.Header("Authorization"));
        Assert.Equal("application/json; charset=utf-8", send.Header("Content-Type"));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            {"message": {"token": "device-token-1", "notification": {"title": "Order shipped", "body": "Your order #42 is on its way"}}}
            """), send.Json), send.Text);
    }

    [Fact]
    public async Task Send_MapsEveryOptionalFieldToTheNotificationDataAndOverrides()
    {
        _google.Answer(Token(), Sent);

        await SendAsync(PushTestHost.MobilePushData(("subtitle", "Tracking inside"), ("image_url", "https://cdn.example.com/box.png"),
            ("action_url", "https://example.com/orders/42"), ("sound", "chime.caf"), ("badge_count", 3), ("category", "ORDER"),
            ("thread_id", "orders"), ("collapse_id", "order-42"), ("interruption_level", "time_sensitive"), ("priority", "high"),
            ("relevance_score", 0.75), ("ttl", 3600), ("android_channel_id", "orders")));

        var expiration = PushTestHost.Start.AddHours(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$$"""
            {"message": {
              "token": "device-token-1",
              "notification": {"title": "Order shipped", "body": "Your order #42 is on its way", "image": "https://cdn.example.com/box.png"},
              "data": {"action_url": "https://example.com/orders/42"},
              "android": {"priority": "HIGH", "ttl": "3600s", "collapse_key": "order-42",
                          "notification": {"channel_id": "orders", "sound": "chime.caf", "notification_count": 3}},
              "apns": {"headers": {"apns-priority": "10", "apns-expiration": "{{{{expiration}}}}", "apns-collapse-id": "order-42"},
                       "payload": {"aps": {"alert": {"title": "Order shipped", "subtitle": "Tracking inside", "body": "Your order #42 is on its way"},
                                           "badge": 3, "sound": "chime.caf", "category": "ORDER", "thread-id": "orders",
                                           "interruption-level": "time-sensitive", "relevance-score": 0.75, "mutable-content": 1}}}
            }}
            """), _google.Requests[1].Json), _google.Requests[1].Text);
    }

    [Fact]
    public async Task Send_ReusesTheAccessTokenUntilItExpires()
    {
        _google.Answer(Token("ya29.first", 3600), Sent, Sent, Token("ya29.second", 3600), Sent);

        await SendAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(58));
        await SendAsync();
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        await SendAsync();

        Assert.Equal(["/token", "/v1/projects/demo-project/messages:send", "/v1/projects/demo-project/messages:send", "/token",
            "/v1/projects/demo-project/messages:send"], _google.Requests.Select(r => r.Path));
        Assert.Equal(["Bearer ya29.first", "Bearer ya29.first", "Bearer ya29.second"],
            _google.Requests.Where(r => r.Path != "/token").Select(r => r.Header("Authorization")));
    }

    [Fact]
    public async Task Send_401_DropsTheTokenAndRetriesOnceWithANewOne()
    {
        _google.Answer(Token("ya29.revoked"), new FakeAnswer(401, """{"error":{"code":401,"status":"UNAUTHENTICATED"}}"""),
            Token("ya29.fresh"), Sent);

        var reply = await SendAsync();

        Assert.Equal(AttemptOutcome.Success, reply.Outcome);
        Assert.Equal("Bearer ya29.fresh", _google.Requests[3].Header("Authorization"));
    }

    public static TheoryData<int, string, AttemptOutcome, bool> Errors => new()
    {
        { 404, "UNREGISTERED", AttemptOutcome.Permanent, true },
        { 400, "INVALID_ARGUMENT", AttemptOutcome.Permanent, false },
        { 403, "SENDER_ID_MISMATCH", AttemptOutcome.Permanent, false },
        { 401, "THIRD_PARTY_AUTH_ERROR", AttemptOutcome.Permanent, false },
        { 500, "INTERNAL", AttemptOutcome.Retryable, false },
        { 503, "UNAVAILABLE", AttemptOutcome.Retryable, false },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task Send_ClassifiesTheDocumentedErrors(int status, string code, AttemptOutcome outcome, bool gone)
    {
        var error = new FakeAnswer(status, $$$"""
            {"error": {"code": {{{status}}}, "message": "Requested entity was not found.", "status": "NOT_FOUND",
              "details": [{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": "{{{code}}}"}]}}
            """);
        _google.Answer(status == 401 ? [Token(), error, Token(), error] : [Token(), error]);

        var reply = await SendAsync();

        Assert.Equal(new ProviderReply(outcome, status, $"HTTP {status} {code}: Requested entity was not found.", null, null, gone), reply);
    }

    [Fact]
    public async Task Send_429_IsRetryableWithRetryAfter()
    {
        _google.Answer(Token(), FakeAnswer.RetryAfter(429, 30));

        var reply = await SendAsync();

        Assert.Equal((AttemptOutcome.Retryable, 429, TimeSpan.FromSeconds(30)), (reply.Outcome, reply.StatusCode, reply.RetryAfter));
    }

    [Fact]
    public async Task Send_TimeoutOrDroppedConnection_IsRetryableWithoutStatus()
    {
        _google.Answer(Token());
        var timeout = await _google.SendTimingOutAsync(() => SendAsync(), _host.Time, TimeSpan.FromSeconds(0.5));
        _google.Answer(FakeAnswer.Dropped);
        var dropped = await SendAsync();

        Assert.Equal((AttemptOutcome.Retryable, (int?)null), (timeout.Outcome, timeout.StatusCode));
        Assert.Contains("timed out", timeout.Error, StringComparison.Ordinal);
        Assert.Equal((AttemptOutcome.Retryable, (int?)null), (dropped.Outcome, dropped.StatusCode));
    }

    [Theory]
    [InlineData(400, AttemptOutcome.Permanent)]
    [InlineData(500, AttemptOutcome.Retryable)]
    public async Task Send_TokenEndpointFailure_EndsTheAttemptWithoutSending(int status, AttemptOutcome outcome)
    {
        _google.Answer(new FakeAnswer(status, """{"error":"invalid_grant","error_description":"Invalid JWT Signature."}"""));

        var reply = await SendAsync();

        Assert.Equal((outcome, (int?)status), (reply.Outcome, reply.StatusCode));
        Assert.StartsWith($"OAuth token request failed: HTTP {status}: ", reply.Error, StringComparison.Ordinal);
        Assert.Equal(["/token"], _google.Requests.Select(r => r.Path));
    }

    [Theory]
    [InlineData("private_key", "not a key", "the service account's private_key is not a usable RSA key")]
    [InlineData("client_email", null, "service_account_json lacks client_email or private_key")]
    [InlineData("private_key", null, "service_account_json lacks client_email or private_key")]
    public async Task Send_UnusableServiceAccount_FailsPermanentlyWithoutACall(string field, string? value, string error)
    {
        var account = Account();
        account[field] = value;

        var reply = await SendAsync(config: Config(account));

        Assert.Equal(new ProviderReply(AttemptOutcome.Permanent, null, error), reply);
        Assert.Empty(_google.Requests);
    }

    public async ValueTask DisposeAsync()
    {
        await _google.DisposeAsync();
        _host.Dispose();
        _accountKey.Dispose();
    }
}
