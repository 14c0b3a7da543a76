using System.Text.Json.Nodes;
using Notiflows.Core.Channels;
using Notiflows.Core.Common;
using static Notiflows.Core.Tests.Channels.ConfigJson;

namespace Notiflows.Core.Tests.Channels;

public sealed class ProviderValidationTests
{
    public static TheoryData<string, string, string> ValidConfigs() =>
        new(ProviderSamples.All().Select(s => (s.Type, s.Provider, s.Json)));

    public static TheoryData<string, string, string, string> RequiredFields() =>
        new(ProviderSamples.All().SelectMany(s => s.Required.Select(f => (s.Type, s.Provider, s.Json, f))));

    [Theory]
    [MemberData(nameof(ValidConfigs))]
    public void Merge_ValidConfig_Passes(string type, string provider, string json)
    {
        var result = Create(type, provider, json);

        Assert.Empty(result.Errors);
        Assert.NotNull(result.Config);
        Assert.Empty(result.RevealOnce);
    }

    [Theory]
    [MemberData(nameof(RequiredFields))]
    public void Merge_RequiredFieldMissing_ReportsRequired(string type, string provider, string json, string field)
    {
        var input = Object(json);
        input.Remove(field);

        AssertSingleError(Create(type, provider, input.ToJsonString()), "config." + field, Reasons.Required);
    }

    [Theory]
    [MemberData(nameof(RequiredFields))]
    public void Merge_RequiredFieldBlank_ReportsRequired(string type, string provider, string json, string field)
    {
        var input = Object(json);
        input[field] = "  ";

        AssertSingleError(Create(type, provider, input.ToJsonString()), "config." + field, Reasons.Required);
    }

    [Fact]
    public void Merge_EveryProviderOfTheCatalog_HasASample()
    {
        var sampled = ProviderSamples.All().Select(s => (s.Type, s.Provider)).ToHashSet();

        foreach (var type in ChannelTypes.All)
        {
            Assert.All(ProviderCatalog.ProvidersFor(type), p => Assert.Contains((type, p), sampled));
        }
    }

    [Theory]
    [InlineData("email", "smtp", "port", "0", Reasons.Invalid)]
    [InlineData("email", "smtp", "port", "65536", Reasons.Invalid)]
    [InlineData("email", "smtp", "port", "'587'", Reasons.Invalid)]
    [InlineData("email", "smtp", "port", "587.5", Reasons.Invalid)]
    [InlineData("email", "smtp", "security", "'ssl'", Reasons.Invalid)]
    [InlineData("email", "smtp", "security", "'TLS'", Reasons.Invalid)]
    [InlineData("email", "smtp", "host", "123", Reasons.Invalid)]
    [InlineData("email", "smtp", "host", "{}", Reasons.Invalid)]
    [InlineData("email", "smtp", "from_email", "'not-an-email'", Reasons.Format)]
    [InlineData("email", "smtp", "from_email", "'a b@example.com'", Reasons.Format)]
    [InlineData("email", "smtp", "reply_to", "'nobody'", Reasons.Format)]
    [InlineData("email", "smtp", "password", "42", Reasons.Invalid)]
    [InlineData("email", "mailgun", "region", "'ap'", Reasons.Invalid)]
    [InlineData("mobile_push", "apns", "environment", "'development'", Reasons.Invalid)]
    [InlineData("mobile_push", "apns", "auth_type", "'jwt'", Reasons.Invalid)]
    [InlineData("mobile_push", "apns", "key_id", "'ABC123'", Reasons.Format)]
    [InlineData("mobile_push", "apns", "team_id", "'TEAM1234567'", Reasons.Format)]
    [InlineData("mobile_push", "apns", "team_id", "'TEAM-12345'", Reasons.Format)]
    [InlineData("mobile_push", "apns", "key", "'not a pem'", Reasons.Format)]
    [InlineData("mobile_push", "apns", "certificate", "'not base64!'", Reasons.Format)]
    [InlineData("mobile_push", "fcm", "service_account_json", "'not json'", Reasons.Invalid)]
    [InlineData("mobile_push", "fcm", "service_account_json", "'[1,2]'", Reasons.Invalid)]
    [InlineData("mobile_push", "fcm", "service_account_json", "'{\\'project_id\\':\\'other\\'}'", Reasons.Invalid)]
    [InlineData("mobile_push", "fcm", "service_account_json", "'{\\'type\\':\\'service_account\\'}'", Reasons.Invalid)]
    [InlineData("mobile_push", "fcm", "service_account_json", "42", Reasons.Invalid)]
    [InlineData("sms", "twilio", "from", "'5551234567'", Reasons.Format)]
    [InlineData("sms", "twilio", "from", "'+0551234567'", Reasons.Format)]
    [InlineData("sms", "twilio", "messaging_service_sid", "'MG123'", Reasons.NotAllowed)]
    [InlineData("web_push", "webpush", "vapid_public_key", "'abc+def/ghi'", Reasons.Format)]
    [InlineData("web_push", "webpush", "vapid_private_key", "'has space'", Reasons.Format)]
    [InlineData("web_push", "webpush", "vapid_subject", "'http://example.com'", Reasons.Format)]
    [InlineData("web_push", "webpush", "vapid_subject", "'ops@example.com'", Reasons.Format)]
    [InlineData("web_push", "webpush", "vapid_subject", "'https://'", Reasons.Format)]
    [InlineData("chat", "slack", "bot_token", "'xoxp-1234-5678'", Reasons.Format)]
    [InlineData("chat", "slack", "bot_token", "'xoxb-'", Reasons.Format)]
    [InlineData("webhook", "http", "url", "'ftp://example.com/x'", Reasons.Format)]
    [InlineData("webhook", "http", "url", "'not a url'", Reasons.Format)]
    [InlineData("webhook", "http", "url", "'/relative/path'", Reasons.Format)]
    [InlineData("webhook", "http", "timeout_seconds", "0", Reasons.Invalid)]
    [InlineData("webhook", "http", "timeout_seconds", "31", Reasons.Invalid)]
    [InlineData("webhook", "http", "headers", "'X-Api-Key: 1'", Reasons.Invalid)]
    [InlineData("webhook", "http", "headers", "['a']", Reasons.Invalid)]
    [InlineData("webhook", "http", "signing_secret", "'secret'", Reasons.Format)]
    [InlineData("webhook", "http", "signing_secret", "'whsec_not base64'", Reasons.Format)]
    [InlineData("webhook", "http", "signing_secret", "'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=='", Reasons.Format)]
    [InlineData("webhook", "http", "signing_secret", "'Generate'", Reasons.Format)]
    [InlineData("email", "sandbox", "outcome", "'lost'", Reasons.Invalid)]
    [InlineData("email", "sandbox", "from_email", "'nobody'", Reasons.Format)]
    [InlineData("chat", "sandbox", "outcome", "1", Reasons.Invalid)]
    public void Merge_BadValue_ReportsFieldAndReason(string type, string provider, string field, string badJson, string reason)
    {
        var input = Object(Sample(type, provider));
        input[field] = JsonNode.Parse(badJson.Replace('\'', '"'));

        AssertSingleError(Create(type, provider, input.ToJsonString()), "config." + field, reason);
    }

    [Theory]
    [InlineData("{'X-Ok':1}", "config.headers.X-Ok", Reasons.Invalid)]
    [InlineData("{'X-Ok':null}", "config.headers.X-Ok", Reasons.Invalid)]
    [InlineData("{'Bad Name':'v'}", "config.headers.Bad Name", Reasons.Format)]
    [InlineData("{'':'v'}", "config.headers.", Reasons.Format)]
    [InlineData("{'X-Inject':'a\\r\\nHost: evil'}", "config.headers.X-Inject", Reasons.Format)]
    [InlineData("{'X-A':'1','x-a':'2'}", "config.headers.x-a", Reasons.Invalid)]
    public void Merge_BadHeader_ReportsTheHeader(string headers, string field, string reason) =>
        AssertSingleError(Create("webhook", "http", $"{{'headers':{headers}}}"), field, reason);

    [Fact]
    public void Merge_TooManyHeaders_ReportsTooMany()
    {
        var headers = string.Join(",", Enumerable.Range(0, 51).Select(i => $"'X-H{i}':'v'"));

        AssertSingleError(Create("webhook", "http", $"{{'headers':{{{headers}}}}}"), "config.headers", Reasons.TooMany);
    }

    [Fact]
    public void Merge_OverlongText_ReportsTooLong()
    {
        var input = Object(Sample("email", "smtp"));
        input["from_name"] = new string('a', 1025);

        AssertSingleError(Create("email", "smtp", input.ToJsonString()), "config.from_name", Reasons.TooLong);
    }

    [Fact]
    public void Merge_TwilioWithMessagingServiceOnly_Passes() =>
        Assert.Empty(Create("sms", "twilio", "{'account_sid':'AC1','auth_token':'t','messaging_service_sid':'MG1'}").Errors);

    [Fact]
    public void Merge_ApnsCertificateAuth_DoesNotRequireKeyFields()
    {
        var result = Create("mobile_push", "apns", "{'bundle_id':'b','environment':'sandbox','auth_type':'certificate'}");

        AssertSingleError(result, "config.certificate", Reasons.Required);
    }

    [Fact]
    public void Merge_ApnsKeyAuthWithoutKeyFields_ReportsAllTogether()
    {
        var result = Create("mobile_push", "apns", "{'bundle_id':'b','environment':'sandbox','auth_type':'key'}");

        Assert.Equal(["config.key_id", "config.team_id", "config.key"], result.Errors.Select(e => e.Field));
        Assert.All(result.Errors, e => Assert.Equal(Reasons.Required, e.Reason));
    }

    [Fact]
    public void Merge_SeveralProblems_AreReportedTogetherInFieldOrder()
    {
        var result = Create("email", "smtp", "{'port':70000,'security':'ssl'}");

        Assert.Equal(
            [("config.host", Reasons.Required), ("config.port", Reasons.Invalid), ("config.security", Reasons.Invalid),
             ("config.from_email", Reasons.Required)],
            result.Errors.Select(e => (e.Field, e.Reason)));
    }

    [Theory]
    [InlineData("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    public void Merge_SigningSecretOf24Bytes_Passes(string secret) =>
        Assert.Empty(Create("webhook", "http", $"{{'signing_secret':'{secret}'}}").Errors);

    [Fact]
    public void Merge_SigningSecretOf64BytesPasses_And65Fails()
    {
        Assert.Empty(Create("webhook", "http", $"{{'signing_secret':'whsec_{Convert.ToBase64String(new byte[64])}'}}").Errors);
        AssertSingleError(Create("webhook", "http", $"{{'signing_secret':'whsec_{Convert.ToBase64String(new byte[65])}'}}"),
            "config.signing_secret", Reasons.Format);
    }

    [Theory]
    [InlineData("email", "sms")]
    [InlineData("email", "twilio")]
    [InlineData("in_app", "sandbox")]
    [InlineData("chat", "http")]
    [InlineData("email", "SMTP")]
    public void Merge_ProviderOfOtherType_ReportsProviderInvalid(string type, string provider) =>
        AssertSingleError(Create(type, provider, "{}"), "provider", Reasons.Invalid);

    [Fact]
    public void Merge_UnknownType_ReportsTypeInvalid() =>
        AssertSingleError(Create("fax", "sandbox", "{}"), "type", Reasons.Invalid);

    [Theory]
    [InlineData("[]")]
    [InlineData("'x'")]
    [InlineData("1")]
    public void Merge_ConfigNotAnObject_ReportsConfigInvalid(string json) =>
        AssertSingleError(Create("email", "smtp", json), "config", Reasons.Invalid);

    [Fact]
    public void Merge_ErrorMessages_NeverEchoSecrets()
    {
        var result = Create("chat", "slack", "{'bot_token':'xoxp-super-secret-value'}");

        Assert.DoesNotContain(result.Errors, e => e.Message.Contains("super-secret", StringComparison.Ordinal));
    }

    private static string Sample(string type, string provider) =>
        ProviderSamples.All().First(s => s.Type == type && s.Provider == provider).Json;
}
