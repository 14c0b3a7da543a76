using System.Globalization;
using System.Text;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.ProviderEvents;

/// <summary>
/// <c>POST /providers/v1/{channel_id}/events</c> (§14.4, §13.5) with Postmark's basic auth: the two transitions, their
/// guards and idempotency, what an unverified request gets (401, nothing applied), and the path and body rules.
/// </summary>
public abstract class ProviderEventsTests<TFixture>(TFixture fixture) : ProviderEventsTestBase<TFixture>(fixture)
    where TFixture : ProviderEventsFixture
{
    private static Dictionary<string, string> Basic(string user = "hooks", string password = "pm-s3cret") =>
        new() { ["Authorization"] = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")) };

    private static string Delivery(string messageId) =>
        $$"""{"RecordType": "Delivery", "ServerID": 23, "MessageStream": "outbound", "MessageID": "{{messageId}}", "Recipient": "john@example.com", "DeliveredAt": "2026-01-15T10:30:00Z", "Details": "Test delivery webhook details"}""";

    private static string Bounce(string messageId) =>
        $$"""{"RecordType": "Bounce", "ID": 42, "Type": "HardBounce", "TypeCode": 1, "MessageID": "{{messageId}}", "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).", "Email": "john@example.com"}""";

    private async Task<(TestProject Project, string ChannelId, System.Text.Json.Nodes.JsonObject Delivery)> PostmarkSentAsync(
        string messageId = "883953f4-6105-42a2-a16a-77a8eac79483")
    {
        var p = await NewProjectAsync();
        var channelId = await ChannelAsync(p, "postmark", PostmarkConfig);
        return (p, channelId, await SentAsync(p, "postmark", messageId));
    }

    [Fact]
    public async Task Delivery_SentBecomesDelivered_WithDeliveredAt()
    {
        var (p, channelId, d) = await PostmarkSentAsync();
        Host.Time.Advance(TimeSpan.FromMinutes(3));

        AssertAccepted(await PostEventsAsync(channelId, Delivery((string)d["provider_message_id"]!), Basic()));

        var after = await DeliveryAsync(p, d);
        Assert.Equal("delivered", (string?)after["status"]);
        Assert.Equal(Host.Time.GetUtcNow(), DateTimeOffset.Parse(At(after, "delivered_at"), CultureInfo.InvariantCulture));
        Assert.Equal(At(after, "delivered_at"), At(after, "updated_at"));
        Assert.Equal(At(d, "sent_at"), At(after, "sent_at"));
        Assert.Null(after["error"]);
    }

    [Fact]
    public async Task Delivery_Repeated_IsIdempotent()
    {
        var (p, channelId, d) = await PostmarkSentAsync();
        AssertAccepted(await PostEventsAsync(channelId, Delivery((string)d["provider_message_id"]!), Basic()));
        var delivered = await DeliveryAsync(p, d);
        Host.Time.Advance(TimeSpan.FromMinutes(1));

        AssertAccepted(await PostEventsAsync(channelId, Delivery((string)d["provider_message_id"]!), Basic()));

        await AssertUnchangedAsync(p, delivered);
    }

    [Fact]
    public async Task Bounce_FromSent_BouncedWithTheProvidersReason()
    {
        var (p, channelId, d) = await PostmarkSentAsync();

        AssertAccepted(await PostEventsAsync(channelId, Bounce((string)d["provider_message_id"]!), Basic()));

        var after = await DeliveryAsync(p, d);
        Assert.Equal("bounced", (string?)after["status"]);
        Assert.Equal("HardBounce: The server was unable to deliver your message (ex: unknown user, mailbox not found).", (string?)after["error"]);
        Assert.Null(after["delivered_at"]);
    }

    [Fact]
    public async Task Bounce_AfterDelivered_Bounced_KeepingDeliveredAt()
    {
        var (p, channelId, d) = await PostmarkSentAsync();
        AssertAccepted(await PostEventsAsync(channelId, Delivery((string)d["provider_message_id"]!), Basic()));
        var deliveredAt = At(await DeliveryAsync(p, d), "delivered_at");
        Host.Time.Advance(TimeSpan.FromHours(1));

        AssertAccepted(await PostEventsAsync(channelId, Bounce((string)d["provider_message_id"]!), Basic()));

        var after = await DeliveryAsync(p, d);
        Assert.Equal("bounced", (string?)after["status"]);
        Assert.Equal(deliveredAt, At(after, "delivered_at"));
        Assert.StartsWith("HardBounce", (string?)after["error"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delivery_AfterBounced_Ignored()
    {
        var (p, channelId, d) = await PostmarkSentAsync();
        AssertAccepted(await PostEventsAsync(channelId, Bounce((string)d["provider_message_id"]!), Basic()));
        var bounced = await DeliveryAsync(p, d);
        Host.Time.Advance(TimeSpan.FromMinutes(1));

        AssertAccepted(await PostEventsAsync(channelId, Delivery((string)d["provider_message_id"]!), Basic()));

        await AssertUnchangedAsync(p, bounced);
    }

    [Theory]
    [InlineData("pending")]
    [InlineData("processing")]
    [InlineData("failed")]
    public async Task DeliveryNotSent_NeitherDeliveredNorBounced(string status)
    {
        var (p, channelId, d) = await PostmarkSentAsync();
        // No provider path leaves a message id on a delivery in these statuses; set one directly to prove the status guard.
        await Database.WriteAsync(s => s.ExecuteAsync("UPDATE deliveries SET status = @status WHERE id = @id",
            new { status, id = Guid.Parse((string)d["id"]!) }, Ct), Ct);
        var before = await DeliveryAsync(p, d);

        AssertAccepted(await PostEventsAsync(channelId, Delivery((string)d["provider_message_id"]!), Basic()));
        AssertAccepted(await PostEventsAsync(channelId, Bounce((string)d["provider_message_id"]!), Basic()));

        await AssertUnchangedAsync(p, before);
        Assert.Equal(status, (string?)before["status"]);
    }

    [Fact]
    public async Task UnknownMessageId_200_NothingChanged()
    {
        var (p, channelId, d) = await PostmarkSentAsync();

        AssertAccepted(await PostEventsAsync(channelId, Delivery("00000000-0000-0000-0000-000000000000"), Basic()));

        await AssertUnchangedAsync(p, d);
    }

    [Theory]
    [InlineData("""{"RecordType": "Open", "MessageID": "MSG", "FirstOpen": true}""")]
    [InlineData("""{"RecordType": "SpamComplaint", "MessageID": "MSG"}""")]
    [InlineData("""{"RecordType": "Delivery"}""")]
    [InlineData("[1, 2]")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task VerifiedBodyWithoutApplicableEvents_200_NothingChanged(string body)
    {
        var (p, channelId, d) = await PostmarkSentAsync();

        AssertAccepted(await PostEventsAsync(channelId, body.Replace("MSG", (string)d["provider_message_id"]!, StringComparison.Ordinal), Basic()));

        await AssertUnchangedAsync(p, d);
    }

    [Fact]
    public async Task SameMessageIdOnAnotherChannel_Untouched()
    {
        var (p, channelId, d) = await PostmarkSentAsync("shared-id");
        await ChannelAsync(p, "postmark", PostmarkConfig, "postmark-two");
        var other = await SentAsync(p, "postmark", "shared-id", "postmark-two");

        AssertAccepted(await PostEventsAsync(channelId, Delivery("shared-id"), Basic()));

        Assert.Equal("delivered", (string?)(await DeliveryAsync(p, d))["status"]);
        await AssertUnchangedAsync(p, other);
    }

    [Theory]
    [InlineData("hooks", "wrong")]
    [InlineData("someone", "pm-s3cret")]
    [InlineData("hooks", "")]
    [InlineData(null, null)]
    public async Task WrongOrMissingCredentials_401_NothingApplied(string? user, string? password)
    {
        var (p, channelId, d) = await PostmarkSentAsync();
        var headers = user is null ? null : Basic(user, password!);

        AssertRejected(await PostEventsAsync(channelId, Delivery((string)d["provider_message_id"]!), headers));

        await AssertUnchangedAsync(p, d);
    }

    [Theory]
    [InlineData("Bearer pm-s3cret")]
    [InlineData("Basic !!!not-base64")]
    [InlineData("Basic aG9va3M=")] // "hooks", no colon
    public async Task MalformedAuthorization_401(string authorization)
    {
        var (p, channelId, d) = await PostmarkSentAsync();

        AssertRejected(await PostEventsAsync(channelId, Delivery((string)d["provider_message_id"]!),
            new Dictionary<string, string> { ["Authorization"] = authorization }));

        await AssertUnchangedAsync(p, d);
    }

    [Fact]
    public async Task ChannelWithoutWebhookCredentials_401()
    {
        var p = await NewProjectAsync();
        var channelId = await ChannelAsync(p, "postmark", """{"server_token": "pm-token", "from_email": "ops@example.com", "webhook_username": "hooks"}""");
        var d = await SentAsync(p, "postmark", "pm-1");

        AssertRejected(await PostEventsAsync(channelId, Delivery("pm-1"), Basic()));

        await AssertUnchangedAsync(p, d);
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("123")]
    public async Task ChannelIdNotAUuid_400(string channelId)
    {
        var error = (await PostEventsAsync(channelId, "{}", Basic())).AssertError(400, "bad_request");
        Assert.Equal("invalid_uuid", (string?)error["details"]!["reason"]);
        Assert.Equal("channel_id", (string?)error["details"]!["param"]);
    }

    [Fact]
    public async Task UnknownChannel_404()
    {
        var id = Guid.CreateVersion7().ToString();
        var error = (await PostEventsAsync(id, "{}", Basic())).AssertError(404, "not_found");
        Assert.Equal("channel", (string?)error["details"]!["resource"]);
        Assert.Equal(id, (string?)error["details"]!["id"]);
    }

    [Theory]
    [InlineData("sandbox", """{"outcome": "delivered"}""")]
    [InlineData("smtp", """{"host": "smtp.example.com", "from_email": "ops@example.com"}""")]
    public async Task ChannelWhoseProviderHasNoEvents_404(string provider, string config)
    {
        var p = await NewProjectAsync();
        var id = (string)(await Mgmt(HttpMethod.Put, $"{p.Base}/channels/mail-{provider}",
            $$"""{"name": "n", "type": "email", "provider": "{{provider}}", "config": {{config}}}""")).AssertStatus(201).Body["id"]!;

        var error = (await PostEventsAsync(id, "{}", Basic())).AssertError(404, "not_found");
        Assert.Equal("channel", (string?)error["details"]!["resource"]);
    }

    [Fact]
    public async Task BuiltInInAppChannel_404()
    {
        var p = await NewProjectAsync();
        var channels = (await Admin(p, HttpMethod.Get, "/admin/v1/channels")).AssertStatus(200).Body["items"]!.AsArray();
        var inApp = (string)channels.First(c => (string?)c!["provider"] == "in_app")!["id"]!;

        (await PostEventsAsync(inApp, "{}", Basic())).AssertError(404, "not_found");
    }

    [Fact]
    public async Task BodyOverOneMebibyte_413()
    {
        var p = await NewProjectAsync();
        var channelId = await ChannelAsync(p, "postmark", PostmarkConfig);

        var error = (await PostEventsAsync(channelId, new string(' ', (1024 * 1024) + 1), Basic())).AssertError(413, "payload_too_large");
        Assert.Equal(1024 * 1024, (int)error["details"]!["limit"]!);
    }

    [Fact]
    public async Task NoRateLimitHeaders_TheRouteTakesNoApiKeys()
    {
        var (_, channelId, d) = await PostmarkSentAsync();

        var response = await PostEventsAsync(channelId, Delivery((string)d["provider_message_id"]!), Basic());

        AssertAccepted(response);
        Assert.Null(response.Header("RateLimit-Limit"));
        Assert.NotNull(response.Header("x-request-id"));
    }
}

public sealed class SqliteProviderEventsTests(SqliteProviderEventsFixture f) : ProviderEventsTests<SqliteProviderEventsFixture>(f);

public sealed class PostgresProviderEventsTests(PostgresProviderEventsFixture f) : ProviderEventsTests<PostgresProviderEventsFixture>(f);
