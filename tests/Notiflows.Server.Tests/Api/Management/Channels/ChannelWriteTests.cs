using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Management.Channels;

/// <summary>Channel PUT (§8.7, §14.2): create and update, write-only secrets, config merge, validation.</summary>
public abstract class ChannelWriteTests<TFixture>(TFixture fixture) : ChannelApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    [Fact]
    public async Task PutChannel_NewHandle_Returns201ThenUpdateReturns200()
    {
        var p = await NewProjectAsync();
        var created = (await PutChannel(p, "sendgrid", SendGrid())).AssertStatus(201).Body;
        Assert.Equal("sendgrid", (string?)created["handle"]);
        Assert.Equal("SendGrid", (string?)created["name"]);
        Assert.Equal("email", (string?)created["type"]);
        Assert.Equal("sendgrid", (string?)created["provider"]);
        Assert.False((bool)created["default"]!); // email-sandbox stays the default
        Assert.False((bool)created["built_in"]!);
        Assert.Null(created["fallback_channel"]);
        Assert.Equal("hello@example.com", (string?)created["config"]!["from_email"]);

        var updated = (await PutChannel(p, "sendgrid", """{"name": "Marketing mail"}""")).AssertStatus(200).Body;
        Assert.Equal((string?)created["id"], (string?)updated["id"]);
        Assert.Equal("Marketing mail", (string?)updated["name"]);
        Assert.Equal("sendgrid", (string?)updated["provider"]);
        Assert.True(JsonNode.DeepEquals(created["config"], updated["config"]));
        Assert.True(JsonNode.DeepEquals(updated, await GetChannel(p, "sendgrid")));
    }

    [Fact]
    public async Task PutChannel_MissingNameTypeProviderOnCreate_Returns422Required()
    {
        var p = await NewProjectAsync();
        var error = (await PutChannel(p, "new-one", "{}")).AssertError(422, "validation_failed", "name", "required");
        Assert.Equal(3, error["details"]!["fields"]!.AsArray().Count);
        (await PutChannel(p, "new-one", "{}")).AssertError(422, "validation_failed", "type", "required");
        (await PutChannel(p, "new-one", "{}")).AssertError(422, "validation_failed", "provider", "required");
        (await PutChannel(p, "email-sandbox", """{"name": null}""")).AssertError(422, "validation_failed", "name", "required");
    }

    [Fact]
    public async Task PutChannel_SecretIsReturnedMasked()
    {
        var p = await NewProjectAsync();
        var created = (await PutChannel(p, "sendgrid", SendGrid())).AssertStatus(201);
        Assert.Equal("****abcd", (string?)created.Body["config"]!["api_key"]);
        Assert.DoesNotContain(SendGridKey, created.Text, StringComparison.Ordinal);
        var got = await GetChannel(p, "sendgrid");
        Assert.Equal("****abcd", (string?)got["config"]!["api_key"]);
        var listed = (await Mgmt(HttpMethod.Get, $"{p.Base}/channels?type=email")).AssertStatus(200);
        Assert.DoesNotContain(SendGridKey, listed.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abcdefghijk", "****")]         // 11 characters: stars only
    [InlineData("abcdefghijkl", "****ijkl")]    // 12 characters: stars + last 4
    [InlineData("x", "****")]
    public async Task PutChannel_SecretMask_ShowsLastFourOnlyFrom12Characters(string secret, string mask)
    {
        var p = await NewProjectAsync();
        var created = (await PutChannel(p, "sendgrid", SendGrid(apiKey: secret))).AssertStatus(201).Body;
        Assert.Equal(mask, (string?)created["config"]!["api_key"]);
    }

    [Fact]
    public async Task PutChannel_SecretSentBackAsItsMask_KeepsStoredSecret()
    {
        var p = await NewProjectAsync();
        (await PutChannel(p, "sendgrid", SendGrid())).AssertStatus(201);
        var roundTrip = (await PutChannel(p, "sendgrid", """{"config": {"api_key": "****abcd", "from_name": "Acme"}}""")).AssertStatus(200).Body;
        // Had the mask been stored, its own mask would be "****" (8 characters).
        Assert.Equal("****abcd", (string?)roundTrip["config"]!["api_key"]);
        Assert.Equal("Acme", (string?)roundTrip["config"]!["from_name"]);
        var raw = await RawChannelSecrets.ReadAsync(Host, p.Slug, "sendgrid", Ct);
        Assert.Equal(SendGridKey, (string?)JsonNode.Parse(RawChannelSecrets.Decrypt(raw!))!["api_key"]);

        // A new value replaces it.
        var replaced = (await PutChannel(p, "sendgrid", """{"config": {"api_key": "SG.another-key-9999-wxyz"}}""")).AssertStatus(200).Body;
        Assert.Equal("****wxyz", (string?)replaced["config"]!["api_key"]);
    }

    [Fact]
    public async Task PutChannel_Secret_IsEncryptedAtRest()
    {
        var p = await NewProjectAsync();
        (await PutChannel(p, "sendgrid", SendGrid())).AssertStatus(201);
        var raw = await RawChannelSecrets.ReadAsync(Host, p.Slug, "sendgrid", Ct);
        Assert.NotNull(raw);
        Assert.DoesNotContain(SendGridKey, raw, StringComparison.Ordinal);
        Assert.DoesNotContain("live-key", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("api_key", raw, StringComparison.Ordinal);
        Assert.Equal(SendGridKey, (string?)JsonNode.Parse(RawChannelSecrets.Decrypt(raw))!["api_key"]);
    }

    [Fact]
    public async Task PutChannel_ConfigMerge_OmittedKeepsNullClearsValueReplaces()
    {
        var p = await NewProjectAsync();
        (await PutChannel(p, "sendgrid", """
            {"name": "SG", "type": "email", "provider": "sendgrid",
             "config": {"api_key": "SG.live-key-0123456789-abcd", "from_email": "a@example.com", "from_name": "Acme", "reply_to": "r@example.com"}}
            """)).AssertStatus(201);
        var merged = (await PutChannel(p, "sendgrid", """{"config": {"from_name": null, "reply_to": "s@example.com"}}""")).AssertStatus(200).Body;
        var config = merged["config"]!.AsObject();
        Assert.Equal("****abcd", (string?)config["api_key"]);
        Assert.Equal("a@example.com", (string?)config["from_email"]);
        Assert.Null(config["from_name"]);
        Assert.Equal("s@example.com", (string?)config["reply_to"]);

        // No config at all keeps everything.
        var kept = (await PutChannel(p, "sendgrid", """{"name": "SG 2"}""")).AssertStatus(200).Body;
        Assert.True(JsonNode.DeepEquals(config, kept["config"]));
    }

    [Fact]
    public async Task PutChannel_ProviderChange_DropsKeysTheNewProviderDoesNotUse()
    {
        var p = await NewProjectAsync();
        (await PutChannel(p, "mail", SendGrid())).AssertStatus(201);
        var smtp = (await PutChannel(p, "mail", """{"provider": "smtp", "config": {"host": "smtp.example.com"}}""")).AssertStatus(200).Body;
        var config = smtp["config"]!.AsObject();
        Assert.Equal("smtp", (string?)smtp["provider"]);
        Assert.False(config.ContainsKey("api_key"));
        Assert.Equal("hello@example.com", (string?)config["from_email"]); // shared key kept
        Assert.Equal("smtp.example.com", (string?)config["host"]);
        Assert.Equal(587, (int)config["port"]!);
        var raw = await RawChannelSecrets.ReadAsync(Host, p.Slug, "mail", Ct);
        Assert.True(raw is null || !RawChannelSecrets.Decrypt(raw).Contains(SendGridKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task PutChannel_RequiredConfigFieldMissing_Returns422ConfigField()
    {
        var p = await NewProjectAsync();
        (await PutChannel(p, "sendgrid", """{"name": "SG", "type": "email", "provider": "sendgrid", "config": {"from_email": "a@example.com"}}"""))
            .AssertError(422, "validation_failed", "config.api_key", "required");
        (await PutChannel(p, "sendgrid", SendGrid())).AssertStatus(201);
        // Validation runs on the merged result: clearing a required field fails, and nothing is saved.
        (await PutChannel(p, "sendgrid", """{"config": {"api_key": null}}""")).AssertError(422, "validation_failed", "config.api_key", "required");
        Assert.Equal("****abcd", (string?)(await GetChannel(p, "sendgrid"))["config"]!["api_key"]);
        // Changing provider validates the new provider's required fields.
        (await PutChannel(p, "sendgrid", """{"provider": "smtp"}""")).AssertError(422, "validation_failed", "config.host", "required");
    }

    [Fact]
    public async Task PutChannel_TypeChange_Returns422NotAllowed()
    {
        var p = await NewProjectAsync();
        (await PutChannel(p, "email-sandbox", """{"type": "sms"}""")).AssertError(422, "validation_failed", "type", "not_allowed");
        (await PutChannel(p, "email-sandbox", """{"type": "email", "name": "Same type is fine"}""")).AssertStatus(200);
    }

    [Fact]
    public async Task PutChannel_ProviderNotValidForType_Returns422Invalid()
    {
        var p = await NewProjectAsync();
        (await PutChannel(p, "texts", """{"name": "Texts", "type": "sms", "provider": "sendgrid"}"""))
            .AssertError(422, "validation_failed", "provider", "invalid");
        (await PutChannel(p, "sms-sandbox", """{"provider": "slack"}""")).AssertError(422, "validation_failed", "provider", "invalid");
        (await PutChannel(p, "texts", """{"name": "Texts", "type": "fax", "provider": "sandbox"}"""))
            .AssertError(422, "validation_failed", "type", "invalid");
    }

    [Fact]
    public async Task PutChannel_ConfigValueWithTrailingNewline_Returns422Format()
    {
        var p = await NewProjectAsync();
        (await PutChannel(p, "smtp", """{"name": "SMTP", "type": "email", "provider": "smtp", "config": {"host": "h.example.com", "from_email": "a@example.com\n"}}"""))
            .AssertError(422, "validation_failed", "config.from_email", "format");
        const string Twilio = """{"name": "Twilio", "type": "sms", "provider": "twilio", "config": {"account_sid": "AC123", "auth_token": "tok-0123456789ab", "from": "+15551234567%"}}""";
        (await PutChannel(p, "twilio", Twilio.Replace("%", "\\n", StringComparison.Ordinal))).AssertError(422, "validation_failed", "config.from", "format");
        (await PutChannel(p, "twilio", Twilio.Replace("%", "", StringComparison.Ordinal))).AssertStatus(201);
    }

    [Fact]
    public async Task PutChannel_ConcurrentCreatesOfOneHandle_OneCreatesTheOthersUpdate()
    {
        var p = await NewProjectAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PutChannel(p, "racy", SendGrid())));
        Assert.All(responses, r => Assert.True(r.Status is 200 or 201, r.Text));
        Assert.Single(responses, r => r.Status == 201);
        Assert.Single(await AllChannels(p, "email"), c => (string?)c["handle"] == "racy");
    }

    [Fact]
    public async Task PutChannel_UnknownConfigKeys_AreDropped()
    {
        var p = await NewProjectAsync();
        var created = (await PutChannel(p, "sendgrid", """
            {"name": "SG", "type": "email", "provider": "sendgrid", "config": {"api_key": "SG.live-key-0123456789-abcd", "from_email": "a@example.com", "colour": "red"}}
            """)).AssertStatus(201).Body;
        Assert.False(created["config"]!.AsObject().ContainsKey("colour"));
    }

    [Fact]
    public async Task PutChannel_WebhookSigningSecretGenerate_ReturnsItUnmaskedOnceThenMasked()
    {
        var p = await NewProjectAsync();
        var created = (await PutChannel(p, "hook", """
            {"name": "Hook", "type": "webhook", "provider": "http", "config": {"url": "https://example.com/hook", "signing_secret": "generate"}}
            """)).AssertStatus(201).Body;
        var secret = (string)created["config"]!["signing_secret"]!;
        Assert.Matches("^whsec_[A-Za-z0-9+/]+=*$", secret);
        Assert.InRange(Convert.FromBase64String(secret["whsec_".Length..]).Length, 24, 64);

        var masked = "****" + secret[^4..];
        Assert.Equal(masked, (string?)(await GetChannel(p, "hook"))["config"]!["signing_secret"]);
        var resent = (await PutChannel(p, "hook", $$$"""{"config": {"signing_secret": "{{{masked}}}", "timeout_seconds": 5}}""")).AssertStatus(200).Body;
        Assert.Equal(masked, (string?)resent["config"]!["signing_secret"]);
        var raw = await RawChannelSecrets.ReadAsync(Host, p.Slug, "hook", Ct);
        Assert.DoesNotContain(secret, raw!, StringComparison.Ordinal);
        Assert.Equal(secret, (string?)JsonNode.Parse(RawChannelSecrets.Decrypt(raw!))!["signing_secret"]);

        // "generate" again on an existing channel makes a new one, shown once.
        var regenerated = (string)(await PutChannel(p, "hook", """{"config": {"signing_secret": "generate"}}""")).AssertStatus(200).Body["config"]!["signing_secret"]!;
        Assert.StartsWith("whsec_", regenerated, StringComparison.Ordinal);
        Assert.NotEqual(secret, regenerated);
    }

    [Fact]
    public async Task PutChannel_WrongJsonTypes_Return422Invalid()
    {
        var p = await NewProjectAsync();
        (await PutChannel(p, "email-sandbox", """{"config": "nope"}""")).AssertError(422, "validation_failed", "config", "invalid");
        (await PutChannel(p, "email-sandbox", """{"default": "yes"}""")).AssertError(422, "validation_failed", "default", "invalid");
        (await PutChannel(p, "email-sandbox", """{"name": 42}""")).AssertError(422, "validation_failed", "name", "invalid");
    }
}

public sealed class SqliteChannelWriteTests(SqliteFixture fixture) : ChannelWriteTests<SqliteFixture>(fixture);

public sealed class PostgresChannelWriteTests(PostgresFixture fixture) : ChannelWriteTests<PostgresFixture>(fixture);
