using System.Text;
using Notiflows.Server.Providers.Events;

namespace Notiflows.Server.Tests.Api.ProviderEvents;

/// <summary>
/// The signature algorithms against the providers' own published examples, so the tests that sign requests themselves are
/// not the only judge of the algorithm.
/// </summary>
public sealed class EventSignatureVectorTests
{
    /// <summary>The worked example of https://www.twilio.com/docs/usage/security#validating-requests.</summary>
    [Fact]
    public void Twilio_DocumentedExample()
    {
        var parameters = new[]
        {
            ("CallSid", "CA1234567890ABCDE"), ("Caller", "+12349013030"), ("Digits", "1234"), ("From", "+12349013030"), ("To", "+18005551212"),
        };

        Assert.Equal("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", TwilioEventSource.Sign("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", parameters));
    }

    /// <summary>The test vector of the Svix / Standard Webhooks libraries (Resend's webhooks are signed by Svix).</summary>
    [Fact]
    public void Svix_LibraryTestVector()
    {
        var key = ResendEventSource.Key("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")!;
        var signature = ResendEventSource.Sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", "1614265330", Encoding.UTF8.GetBytes("""{"test": 2432232314}"""));

        Assert.Equal("g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", Convert.ToBase64String(signature));
    }

    [Theory]
    [InlineData("20260115.abc@mg.example.com", "<20260115.abc@mg.example.com>")]
    [InlineData("<20260115.abc@mg.example.com>", "<20260115.abc@mg.example.com>")]
    [InlineData(" 20260115.abc@mg.example.com ", "<20260115.abc@mg.example.com>")]
    public void Mailgun_MessageId_InTheBracketedFormTheSendApiAnswers(string header, string expected)
    {
        var data = new System.Text.Json.Nodes.JsonObject
        {
            ["message"] = new System.Text.Json.Nodes.JsonObject { ["headers"] = new System.Text.Json.Nodes.JsonObject { ["message-id"] = header } },
        };

        Assert.Equal(expected, MailgunEventSource.MessageId(data));
    }
}
