using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Notiflows.Server.Tests.Api.ProviderEvents;

public abstract partial class SignedProviderEventsTests<TFixture>
{
    private const string MailgunKey = "key-7e55f4c3a1b2d9e8f0a1b2c3d4e5f6a7";
    private const string MailgunConfig = $$"""{"api_key": "mg-key", "domain": "mg.example.com", "from_email": "ops@mg.example.com", "webhook_signing_key": "{{MailgunKey}}"}""";

    // ---- Mailgun --------------------------------------------------------------------------------------------------------

    private static string MailgunBody(string key, JsonObject eventData, string? signature = null)
    {
        const string token = "e0b5477167110d68991efc6b9f89f0a11066af27834600e123";
        const string timestamp = "1768473000";
        signature ??= Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(timestamp + token)));
        return new JsonObject
        {
            ["signature"] = new JsonObject { ["token"] = token, ["timestamp"] = timestamp, ["signature"] = signature },
            ["event-data"] = eventData,
        }.ToJsonString();
    }

    private static JsonObject MailgunEvent(string @event, string messageId, string? severity = null) => new()
    {
        ["event"] = @event,
        ["id"] = "CCXMjJ7nQi2N3BPigGOdgQ",
        ["severity"] = severity,
        ["reason"] = severity is null ? null : "bounce",
        ["delivery-status"] = new JsonObject { ["code"] = 550, ["message"] = "", ["description"] = "550 5.1.1 The email account does not exist" },
        ["message"] = new JsonObject { ["headers"] = new JsonObject { ["message-id"] = messageId, ["subject"] = "Hi" } },
    };

    private async Task<(Infrastructure.TestProject, string, JsonObject)> MailgunSentAsync(string config = MailgunConfig)
    {
        var p = await NewProjectAsync();
        var channelId = await ChannelAsync(p, "mailgun", config);
        // The send API answers the id in angle brackets (and the delivery keeps it so); events carry it without them.
        return (p, channelId, await SentAsync(p, "mailgun", "<20260115103000.abc123@mg.example.com>"));
    }

    [Fact]
    public async Task Mailgun_Delivered_SentBecomesDelivered()
    {
        var (p, channelId, d) = await MailgunSentAsync();

        AssertAccepted(await PostEventsAsync(channelId, MailgunBody(MailgunKey, MailgunEvent("delivered", "20260115103000.abc123@mg.example.com"))));

        var after = await DeliveryAsync(p, d);
        Assert.Equal("delivered", (string?)after["status"]);
        Assert.NotNull(after["delivered_at"]);
    }

    [Fact]
    public async Task Mailgun_PermanentFailure_Bounced_WithDeliveryStatusDescription()
    {
        var (p, channelId, d) = await MailgunSentAsync();

        AssertAccepted(await PostEventsAsync(channelId,
            MailgunBody(MailgunKey, MailgunEvent("failed", "<20260115103000.abc123@mg.example.com>", "permanent"))));

        var after = await DeliveryAsync(p, d);
        Assert.Equal("bounced", (string?)after["status"]);
        Assert.Equal("550 5.1.1 The email account does not exist", (string?)after["error"]);
    }

    [Theory]
    [InlineData("failed", "temporary")]
    [InlineData("opened", null)]
    [InlineData("accepted", null)]
    public async Task Mailgun_OtherEvents_200_Ignored(string @event, string? severity)
    {
        var (p, channelId, d) = await MailgunSentAsync();

        AssertAccepted(await PostEventsAsync(channelId, MailgunBody(MailgunKey, MailgunEvent(@event, "20260115103000.abc123@mg.example.com", severity))));

        await AssertUnchangedAsync(p, d);
    }

    [Theory]
    [InlineData("wrong-key", null)]
    [InlineData(MailgunKey, "00")]
    [InlineData(MailgunKey, "zz5f4c3a1b2d9e8f0a1b2c3d4e5f6a77e55f4c3a1b2d9e8f0a1b2c3d4e5f6a7aa")]
    [InlineData(MailgunKey, "")]
    public async Task Mailgun_BadSignature_401(string key, string? signature)
    {
        var (p, channelId, d) = await MailgunSentAsync();

        AssertRejected(await PostEventsAsync(channelId, MailgunBody(key, MailgunEvent("delivered", "20260115103000.abc123@mg.example.com"), signature)));

        await AssertUnchangedAsync(p, d);
    }

    [Fact]
    public async Task Mailgun_MissingSignature_401()
    {
        var (p, channelId, d) = await MailgunSentAsync();

        AssertRejected(await PostEventsAsync(channelId,
            new JsonObject { ["event-data"] = MailgunEvent("delivered", "20260115103000.abc123@mg.example.com") }.ToJsonString()));

        await AssertUnchangedAsync(p, d);
    }

    [Fact]
    public async Task Mailgun_ChannelWithoutSigningKey_401()
    {
        var (p, channelId, d) = await MailgunSentAsync("""{"api_key": "mg-key", "domain": "mg.example.com", "from_email": "ops@mg.example.com"}""");

        AssertRejected(await PostEventsAsync(channelId, MailgunBody(MailgunKey, MailgunEvent("delivered", "20260115103000.abc123@mg.example.com"))));

        await AssertUnchangedAsync(p, d);
    }
}
