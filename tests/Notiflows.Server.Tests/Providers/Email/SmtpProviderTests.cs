using System.Globalization;
using System.Text.Json.Nodes;
using MimeKit;
using Notiflows.Core.Delivery;
using Notiflows.Server.Providers;
using static Notiflows.Server.Tests.Providers.Email.EmailTestMessages;

namespace Notiflows.Server.Tests.Providers.Email;

/// <summary>The <c>smtp</c> provider against a real SMTP server (aiosmtpd): plain, STARTTLS, implicit TLS, AUTH, 4xx/5xx.</summary>
public sealed class SmtpProviderTests
{
    private static IChannelProvider Smtp(double timeoutSeconds = 10) => Provider("smtp", new Dictionary<string, string?>
    {
        ["Notiflows:Providers:smtp:AllowInvalidCertificates"] = "true",
        ["Notiflows:Providers:TimeoutSeconds"] = timeoutSeconds.ToString(CultureInfo.InvariantCulture),
    });

    private static JsonObject Config(int port, string security, string? username = null, string? password = null) => new()
    {
        ["host"] = "127.0.0.1", ["port"] = port, ["security"] = security, ["username"] = username, ["password"] = password,
    };

    private static Task<ProviderReply> SendAsync(JsonObject config, string contentType = "html", string address = "jane@example.com") =>
        Smtp().SendAsync(Message("smtp", config, contentType, address), TestContext.Current.CancellationToken);

    private static MimeMessage Parse(JsonObject received) =>
        MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes((string)received["data"]!)), TestContext.Current.CancellationToken);

    [Fact]
    public async Task Starttls_with_auth_sends_a_multipart_alternative_html_email()
    {
        await using var server = await SmtpTestServer.StartAsync("starttls", auth: "mailer:s3cret");

        var reply = await SendAsync(Config(server.Port, "starttls", "mailer", "s3cret"));

        Assert.Equal(ProviderReply.Ok(250, "0b7c6f5e1d2a4c3b9e8f7a6b5c4d3e2f@acme.example"), reply);
        var received = Assert.Single(server.Received());
        Assert.Equal(("mailer", true), ((string?)received["login"], (bool)received["tls"]!));
        Assert.Equal("notify@acme.example", (string?)received["mail_from"]);
        Assert.Equal("""["jane@example.com"]""", received["rcpt_tos"]!.ToJsonString());
        var mime = Parse(received);
        Assert.Equal("\"Acme Shop\" <notify@acme.example>", mime.From.ToString());
        Assert.Equal("\"Jane Doe\" <jane@example.com>", mime.To.ToString());
        Assert.Equal("help@acme.example", mime.ReplyTo.ToString());
        Assert.Equal("Your order #1 shipped", mime.Subject);
        Assert.Equal(reply.ProviderMessageId, mime.MessageId);
        Assert.Equal(Now, mime.Date);
        Assert.Equal("1.0", mime.Headers[HeaderId.MimeVersion]);
        var alternative = Assert.IsType<MultipartAlternative>(mime.Body);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));
        Assert.Equal(HtmlAsText, ((TextPart)alternative[0]).Text.TrimEnd());
        Assert.Equal(Html, ((TextPart)alternative[1]).Text.TrimEnd());
    }

    [Fact]
    public async Task Implicit_tls_sends_a_plaintext_email_as_one_text_part()
    {
        await using var server = await SmtpTestServer.StartAsync("tls");

        var reply = await SendAsync(Config(server.Port, "tls"), "plaintext");

        Assert.Equal(AttemptOutcome.Success, reply.Outcome);
        var received = Assert.Single(server.Received());
        Assert.Equal((null, true), ((string?)received["login"], (bool)received["tls"]!));
        var mime = Parse(received);
        var text = Assert.IsType<TextPart>(mime.Body);
        Assert.Equal("text/plain", text.ContentType.MimeType);
        Assert.Equal("Hello Jane,\nyour order shipped.", text.Text.ReplaceLineEndings("\n").TrimEnd());
    }

    [Fact]
    public async Task Security_none_sends_in_the_clear_with_auth()
    {
        await using var server = await SmtpTestServer.StartAsync("none", auth: "mailer:s3cret");

        var reply = await SendAsync(Config(server.Port, "none", "mailer", "s3cret"));

        Assert.Equal(AttemptOutcome.Success, reply.Outcome);
        var received = Assert.Single(server.Received());
        Assert.Equal(("mailer", false), ((string?)received["login"], (bool)received["tls"]!));
    }

    [Theory]
    [InlineData("tempfail@example.com", AttemptOutcome.Retryable, 451)]
    [InlineData("reject@example.com", AttemptOutcome.Permanent, 550)]
    public async Task Smtp_replies_are_classified_with_their_code(string address, AttemptOutcome outcome, int code)
    {
        await using var server = await SmtpTestServer.StartAsync("none");

        var reply = await SendAsync(Config(server.Port, "none"), address: address);

        Assert.Equal((outcome, (int?)code), (reply.Outcome, reply.StatusCode));
        Assert.StartsWith(code.ToString(CultureInfo.InvariantCulture), reply.Error, StringComparison.Ordinal);
        Assert.Empty(server.Received());
    }

    [Fact]
    public async Task Wrong_credentials_fail_permanently_without_leaking_the_password()
    {
        await using var server = await SmtpTestServer.StartAsync("starttls", auth: "mailer:s3cret");

        var reply = await SendAsync(Config(server.Port, "starttls", "mailer", "wrong-password"));

        Assert.Equal(AttemptOutcome.Permanent, reply.Outcome);
        Assert.DoesNotContain("wrong-password", reply.Error, StringComparison.Ordinal);
        Assert.Empty(server.Received());
    }

    [Fact]
    public async Task Starttls_against_a_server_without_it_fails_permanently()
    {
        await using var server = await SmtpTestServer.StartAsync("none");

        var reply = await SendAsync(Config(server.Port, "starttls"));

        Assert.Equal((AttemptOutcome.Permanent, (int?)null), (reply.Outcome, reply.StatusCode));
    }

    [Fact]
    public async Task Nothing_listening_is_retryable_without_code()
    {
        var reply = await SendAsync(Config(SmtpTestServer.FreePort(), "none"));

        Assert.Equal((AttemptOutcome.Retryable, (int?)null), (reply.Outcome, reply.StatusCode));
    }
}
