using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Notiflows.Core.Delivery;
using Notiflows.Server.Tests.Engine;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.ProviderEvents;

/// <summary>
/// Helpers of the inbound provider event tests (§14.4): a channel of a provider, a <c>sent</c> delivery on it with a known
/// provider message id (run through the engine; the provider's send is scripted), a raw POST to the events endpoint, and the
/// delivery as the Admin API shows it.
/// </summary>
public abstract class ProviderEventsTestBase<TFixture>(TFixture fixture) : EngineTests<TFixture>(fixture)
    where TFixture : ProviderEventsFixture
{
    protected ProviderEventsFixture Fixture { get; } = fixture;

    protected const string PostmarkConfig =
        """{"server_token": "pm-token", "from_email": "ops@example.com", "webhook_username": "hooks", "webhook_password": "pm-s3cret"}""";

    /// <summary>Creates a channel (handle = provider unless given) and returns its id.</summary>
    protected async Task<string> ChannelAsync(TestProject p, string provider, string config, string? handle = null)
    {
        var type = provider == "twilio" ? "sms" : "email";
        handle ??= provider;
        return (string)(await Mgmt(HttpMethod.Put, $"{p.Base}/channels/{handle}",
            $$"""{"name": "{{handle}}", "type": "{{type}}", "provider": "{{provider}}", "config": {{config}}}""")).AssertStatus(201).Body["id"]!;
    }

    /// <summary>
    /// Runs a one-step notiflow through the channel <paramref name="handle"/> for a new recipient, the provider answering
    /// <paramref name="messageId"/>, and returns the delivery (asserted <c>sent</c>).
    /// </summary>
    protected async Task<JsonObject> SentAsync(TestProject p, string provider, string messageId, string? handle = null)
    {
        handle ??= provider;
        var sms = provider == "twilio";
        var address = sms ? "+1555" + Random.Shared.Next(1_000_000, 9_999_999) : $"u-{Guid.NewGuid():N}@acme.com";
        Fixture.Senders[provider].Script(address, ProviderReply.Ok(202, messageId));
        var template = sms ? """{"body": "Code 1234"}""" : """{"subject": "Hi", "body": "Hello", "content_type": "plaintext"}""";
        var flow = $"flow-{handle}-{Guid.NewGuid():N}"; // one per delivery, so a test can send several through one channel
        await PublishAsync(p, flow, Steps(Trigger,
            Step("send", "channel", 1, $$"""
                "channel_type": "{{(sms ? "sms" : "email")}}", "channel_handle": "{{handle}}", "template": {"data": {{template}}}
                """), End(2)));
        var recipient = sms ? $$"""{"external_id": "u-{{Guid.NewGuid():N}}", "phone": "{{address}}"}"""
            : $$"""{"external_id": "u-{{Guid.NewGuid():N}}", "email": "{{address}}"}""";
        var runId = await RunAsync(p, flow, $$"""{"recipients": [{{recipient}}]}""");
        await Host.DrainAsync();
        var delivery = Delivery(await OnlyNotification(p, runId), "send");
        Assert.Equal("sent", (string?)delivery["status"]);
        Assert.Equal(messageId, (string?)delivery["provider_message_id"]);
        return await DeliveryAsync(p, delivery);
    }

    /// <summary>The delivery as <c>GET /admin/v1/deliveries/{id}</c> shows it now.</summary>
    protected async Task<JsonObject> DeliveryAsync(TestProject p, JsonObject delivery) =>
        (await Admin(p, HttpMethod.Get, $"/admin/v1/deliveries/{delivery["id"]}")).AssertStatus(200).Body;

    /// <summary>POSTs a raw body to the events endpoint, with no API keys.</summary>
    protected async Task<ApiResponse> PostEventsAsync(
        string channelId, string body, IReadOnlyDictionary<string, string>? headers = null, string contentType = "application/json")
    {
        using var client = Host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, EventsPath(channelId))
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await client.SendAsync(request, Ct);
        return new ApiResponse((int)response.StatusCode, response.Headers, response.Content.Headers, await response.Content.ReadAsStringAsync(Ct));
    }

    protected static string EventsPath(string channelId) => $"/providers/v1/{channelId}/events";

    /// <summary>The URL the provider is configured with (and signs, for Twilio).</summary>
    protected static string PublicEventsUrl(string channelId) => ProviderEventsFixture.PublicUrl + EventsPath(channelId);

    /// <summary>Asserts the 200 <c>{}</c> of a verified request.</summary>
    protected static void AssertAccepted(ApiResponse response) => Assert.Equal("{}", response.AssertStatus(200).Text);

    /// <summary>Asserts 401 <c>unauthenticated</c>, <c>details.auth = "provider_signature"</c>.</summary>
    protected static void AssertRejected(ApiResponse response) =>
        Assert.Equal("provider_signature", (string?)response.AssertError(401, "unauthenticated")["details"]!["auth"]);

    /// <summary>Asserts the delivery is exactly as it was (status, timestamps, error, updated_at).</summary>
    protected async Task AssertUnchangedAsync(TestProject p, JsonObject before) =>
        Assert.True(JsonNode.DeepEquals(before, await DeliveryAsync(p, before)), "the delivery changed");

    protected static string At(JsonObject delivery, string field) => (string)delivery[field]!;
}
