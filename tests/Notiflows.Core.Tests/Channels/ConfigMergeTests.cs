using System.Text.Json;
using System.Text.Json.Nodes;
using Notiflows.Core.Channels;
using Notiflows.Core.Common;
using static Notiflows.Core.Tests.Channels.ConfigJson;

namespace Notiflows.Core.Tests.Channels;

public sealed class ConfigMergeTests
{
    private const string SmtpJson =
        "{'host':'smtp.example.com','username':'mailer','password':'correct-horse-battery'," +
        "'from_email':'ops@example.com','from_name':'Ops'}";

    [Fact]
    public void Merge_SplitsSecretFieldsFromPublicOnes()
    {
        var config = Valid("email", "smtp", SmtpJson);

        Assert.Equal(["password"], config.Secrets.Select(p => p.Key));
        Assert.Equal("correct-horse-battery", Text(config.Secrets, "password"));
        Assert.Equal(["host", "port", "username", "security", "from_email", "from_name"], config.Public.Select(p => p.Key));
    }

    [Fact]
    public void Merge_OmittedKey_KeepsStoredValue()
    {
        var stored = Valid("email", "smtp", SmtpJson);

        var config = Update("email", "smtp", stored, "{'from_name':'Alerts'}").Config!;

        Assert.Equal("Alerts", Text(config.Public, "from_name"));
        Assert.Equal("smtp.example.com", Text(config.Public, "host"));
        Assert.Equal("correct-horse-battery", Text(config.Secrets, "password"));
    }

    [Fact]
    public void Merge_NullValue_ClearsStoredValue()
    {
        var stored = Valid("email", "smtp", SmtpJson);

        var config = Update("email", "smtp", stored, "{'from_name':null,'password':null}").Config!;

        Assert.False(config.Public.ContainsKey("from_name"));
        Assert.False(config.Secrets.ContainsKey("password"));
    }

    [Fact]
    public void Merge_BlankString_ClearsLikeNull()
    {
        var stored = Valid("email", "smtp", SmtpJson);

        Assert.False(Update("email", "smtp", stored, "{'from_name':''}").Config!.Public.ContainsKey("from_name"));
    }

    [Fact]
    public void Merge_NullOnRequiredField_IsValidatedOnMergedResult() =>
        AssertSingleError(Update("email", "smtp", Valid("email", "smtp", SmtpJson), "{'host':null}"), "config.host", Reasons.Required);

    [Fact]
    public void Merge_RequiredFieldKeptFromStore_IsNotReportedMissing()
    {
        var stored = Valid("chat", "slack", "{'bot_token':'xoxb-1234-5678-abcdef'}");

        Assert.Empty(Update("chat", "slack", stored, "{}").Errors);
    }

    [Fact]
    public void Merge_NewValue_ReplacesStoredValue()
    {
        var stored = Valid("email", "smtp", SmtpJson);

        var config = Update("email", "smtp", stored, "{'host':'mail.example.org','password':'new-password-value'}").Config!;

        Assert.Equal("mail.example.org", Text(config.Public, "host"));
        Assert.Equal("new-password-value", Text(config.Secrets, "password"));
    }

    [Theory]
    [InlineData("correct-horse-battery", "****tery")]
    [InlineData("short", "****")]
    public void Merge_SecretSentBackAsItsMask_KeepsStoredValue(string password, string mask)
    {
        var stored = Valid("email", "smtp", $"{{'host':'h','from_email':'a@example.com','password':'{password}'}}");

        var config = Update("email", "smtp", stored, $"{{'password':'{mask}'}}").Config!;

        Assert.Equal(password, Text(config.Secrets, "password"));
    }

    [Fact]
    public void Merge_SecretSentAsAnotherMask_ReplacesStoredValue()
    {
        var stored = Valid("email", "smtp", SmtpJson);

        Assert.Equal("****abcd", Text(Update("email", "smtp", stored, "{'password':'****abcd'}").Config!.Secrets, "password"));
    }

    [Fact]
    public void Merge_MaskOnCreate_IsTakenLiterally() =>
        Assert.Equal("****", Text(Valid("chat", "discord", "{'bot_token':'****'}").Secrets, "bot_token"));

    [Fact]
    public void Merge_PublicFieldEqualToAMask_IsAValue()
    {
        var stored = Valid("email", "smtp", SmtpJson);

        Assert.Equal("****", Text(Update("email", "smtp", stored, "{'username':'****'}").Config!.Public, "username"));
    }

    [Fact]
    public void Merge_UnknownKeys_AreDropped()
    {
        var config = Valid("email", "smtp", "{'host':'h','from_email':'a@example.com','api_key':'x','nonsense':{'a':1}}");

        Assert.False(config.Public.ContainsKey("nonsense"));
        Assert.False(config.Public.ContainsKey("api_key"));
        Assert.Empty(config.Secrets);
    }

    [Fact]
    public void Merge_ProviderChanged_DropsKeysTheNewProviderDoesNotUse()
    {
        var stored = Valid("email", "smtp", SmtpJson);

        var result = Update("email", "sendgrid", stored, "{'api_key':'SG.abcdefghijklmnop'}", providerChanged: true);

        var config = result.Config!;
        Assert.Equal(["from_email", "from_name"], config.Public.Select(p => p.Key));
        Assert.Equal(["api_key"], config.Secrets.Select(p => p.Key));
    }

    [Fact]
    public void Merge_ProviderChanged_ValidatesRequiredFieldsOfNewProvider()
    {
        var stored = Valid("email", "smtp", SmtpJson);

        AssertSingleError(Update("email", "sendgrid", stored, "{}", providerChanged: true), "config.api_key", Reasons.Required);
    }

    [Fact]
    public void Merge_ProviderChangedToSandbox_DropsCredentialsAndFillsDefaults()
    {
        var stored = Valid("email", "smtp", SmtpJson);

        var config = Update("email", "sandbox", stored, "{}", providerChanged: true).Config!;

        Assert.Empty(config.Secrets);
        Assert.Equal("{\"outcome\":\"sent\",\"from_email\":\"ops@example.com\",\"from_name\":\"Ops\"}", config.Public.ToJsonString());
    }

    [Theory]
    [InlineData("email", "smtp",
        "{'host':'h','from_email':'a@b.co'}", "{'host':'h','port':587,'security':'starttls','from_email':'a@b.co'}")]
    [InlineData("email", "mailgun",
        "{'api_key':'k','domain':'d','from_email':'a@b.co'}", "{'domain':'d','region':'us','from_email':'a@b.co'}")]
    [InlineData("email", "postmark", "{'server_token':'t','from_email':'a@b.co'}", "{'message_stream':'outbound','from_email':'a@b.co'}")]
    [InlineData("webhook", "http", "{}", "{'timeout_seconds':10}")]
    [InlineData("email", "sandbox", "{}", "{'outcome':'sent','from_email':'notifications@example.com'}")]
    [InlineData("sms", "sandbox", "{'from':'+15550000000'}", "{'outcome':'sent','from':'+15550000000'}")]
    [InlineData("chat", "sandbox", "{}", "{'outcome':'sent'}")]
    [InlineData("in_app", "in_app", "{'anything':1}", "{}")]
    public void Merge_MissingFieldsWithDefaults_AreFilled(string type, string provider, string input, string expectedPublic) =>
        Assert.Equal(Object(expectedPublic).ToJsonString(), Valid(type, provider, input).Public.ToJsonString());

    [Fact]
    public void Merge_NullOnDefaultedField_RestoresDefault()
    {
        var stored = Valid("email", "smtp", "{'host':'h','port':2525,'from_email':'a@example.com'}");

        Assert.Equal(587, Update("email", "smtp", stored, "{'port':null}").Config!.Public["port"]!.GetValue<int>());
    }

    [Fact]
    public void Merge_AbsentConfigOnUpdate_KeepsEverything()
    {
        var stored = Valid("email", "smtp", SmtpJson);

        var config = ChannelConfigMerger.Merge("email", "smtp", stored, default, providerChanged: false).Config!;

        Assert.True(JsonNode.DeepEquals(stored.Public, config.Public));
        Assert.True(JsonNode.DeepEquals(stored.Secrets, config.Secrets));
    }

    [Fact]
    public void Merge_NullConfigOnUpdate_KeepsEverything()
    {
        var stored = Valid("email", "smtp", SmtpJson);

        var config = Update("email", "smtp", stored, "null").Config!;

        Assert.True(JsonNode.DeepEquals(stored.Public, config.Public));
        Assert.True(JsonNode.DeepEquals(stored.Secrets, config.Secrets));
    }

    [Fact]
    public void Merge_NullConfigOnCreate_IsEmptyObject()
    {
        Assert.Equal("{\"outcome\":\"sent\"}", Create("chat", "sandbox", "null").Config!.Public.ToJsonString());
        AssertSingleError(Create("chat", "slack", "null"), "config.bot_token", Reasons.Required);
    }

    [Fact]
    public void Merge_DoesNotMutateStoredConfig()
    {
        var stored = Valid("email", "smtp", SmtpJson);
        var before = stored.Public.ToJsonString() + stored.Secrets.ToJsonString();

        _ = Update("email", "sendgrid", stored, "{'api_key':'k','from_name':null}", providerChanged: true);

        Assert.Equal(before, stored.Public.ToJsonString() + stored.Secrets.ToJsonString());
    }

    [Fact]
    public void Merge_StoredFieldsInWrongBucket_AreReclassified()
    {
        var stored = new ChannelConfig(Object("{'bot_token':'xoxb-1234-5678-abcdef','stale':1}"), []);

        var config = Update("chat", "slack", stored, "{}").Config!;

        Assert.Empty(config.Public);
        Assert.Equal("xoxb-1234-5678-abcdef", Text(config.Secrets, "bot_token"));
    }

    [Fact]
    public void Merge_DuplicateKey_LastValueWins() =>
        Assert.Equal("sent", Text(Valid("chat", "sandbox", "{'outcome':'lost','outcome':'sent'}").Public, "outcome"));

    [Fact]
    public void Merge_FcmServiceAccountAsObject_IsStoredAsText()
    {
        var config = Valid("mobile_push", "fcm", "{'project_id':'p1','service_account_json':{'type':'service_account','project_id':'p1'}}");

        var text = Text(config.Secrets, "service_account_json")!;
        Assert.Equal("p1", JsonNode.Parse(text)!["project_id"]!.GetValue<string>());
    }

    [Fact]
    public void Merge_FcmProjectIdChangedWithoutNewServiceAccount_ReportsMismatch()
    {
        var stored = Valid("mobile_push", "fcm", "{'project_id':'p1','service_account_json':'{\\'project_id\\':\\'p1\\'}'}");

        AssertSingleError(Update("mobile_push", "fcm", stored, "{'project_id':'p2'}"), "config.service_account_json", Reasons.Invalid);
    }

    [Fact]
    public void Merge_TwilioSwitchFromNumberToMessagingService_Passes()
    {
        var stored = Valid("sms", "twilio", "{'account_sid':'AC1','auth_token':'t','from':'+15551234567'}");

        var config = Update("sms", "twilio", stored, "{'from':null,'messaging_service_sid':'MG1'}").Config!;

        Assert.Equal("MG1", Text(config.Public, "messaging_service_sid"));
        Assert.False(config.Public.ContainsKey("from"));
    }

    [Fact]
    public void Merge_TwilioAddMessagingServiceWhileFromStored_ReportsNotAllowed()
    {
        var stored = Valid("sms", "twilio", "{'account_sid':'AC1','auth_token':'t','from':'+15551234567'}");

        var result = Update("sms", "twilio", stored, "{'messaging_service_sid':'MG1'}");

        AssertSingleError(result, "config.messaging_service_sid", Reasons.NotAllowed);
    }

    [Fact]
    public void Merge_HeadersReplaceStoredObject_AndMaskedEntriesKeepStoredValues()
    {
        var stored = Valid("webhook", "http", "{'headers':{'Authorization':'Bearer abcdefghijklmnop','X-Team':'ops','X-Old':'gone'}}");

        var config = Update("webhook", "http", stored, "{'headers':{'Authorization':'****mnop','X-Team':'****','X-New':'v'}}").Config!;

        Assert.Equal(
            "{\"Authorization\":\"Bearer abcdefghijklmnop\",\"X-Team\":\"ops\",\"X-New\":\"v\"}",
            config.Secrets["headers"]!.ToJsonString());
        Assert.False(config.Public.ContainsKey("headers"));
    }

    [Fact]
    public void Merge_HeadersMaskForUnknownHeader_IsTakenLiterally()
    {
        var stored = Valid("webhook", "http", "{'headers':{'X-A':'aaaaaaaaaaaaaaaa'}}");

        var config = Update("webhook", "http", stored, "{'headers':{'X-B':'****aaaa'}}").Config!;

        Assert.Equal("{\"X-B\":\"****aaaa\"}", config.Secrets["headers"]!.ToJsonString());
    }

    [Fact]
    public void Merge_GenerateSigningSecret_GeneratesAndRevealsOnce()
    {
        var result = Create("webhook", "http", "{'signing_secret':'generate'}");

        Assert.Equal(["signing_secret"], result.RevealOnce);
        var secret = Text(result.Config!.Secrets, "signing_secret")!;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.True(WebhookSigningSecret.IsValid(secret));
    }

    [Fact]
    public void Merge_GenerateTwice_GivesDifferentSecrets() =>
        Assert.NotEqual(
            Text(Create("webhook", "http", "{'signing_secret':'generate'}").Config!.Secrets, "signing_secret"),
            Text(Create("webhook", "http", "{'signing_secret':'generate'}").Config!.Secrets, "signing_secret"));

    [Fact]
    public void Merge_GenerateOnUpdate_RotatesSecret()
    {
        var stored = Create("webhook", "http", "{'signing_secret':'generate'}").Config!;

        var result = Update("webhook", "http", stored, "{'signing_secret':'generate'}");

        Assert.Equal(["signing_secret"], result.RevealOnce);
        Assert.NotEqual(Text(stored.Secrets, "signing_secret"), Text(result.Config!.Secrets, "signing_secret"));
    }

    [Fact]
    public void Merge_SigningSecretKeptOrProvided_IsNotRevealed()
    {
        var stored = Create("webhook", "http", "{'signing_secret':'generate'}").Config!;
        var mask = SecretMask.Mask(Text(stored.Secrets, "signing_secret")!);

        Assert.Empty(Update("webhook", "http", stored, $"{{'signing_secret':'{mask}'}}").RevealOnce);
        Assert.Empty(Update("webhook", "http", stored, "{'url':'https://example.com'}").RevealOnce);
    }

    [Fact]
    public void Merge_GenerateOnProviderWithoutSigningSecret_IsAnOrdinaryValue()
    {
        var result = Create("chat", "discord", "{'bot_token':'generate'}");

        Assert.Empty(result.RevealOnce);
        Assert.Equal("generate", Text(result.Config!.Secrets, "bot_token"));
    }

    [Fact]
    public void Merge_InputElementFromDisposedDocumentIsNotNeeded_ResultIsDetached()
    {
        JsonObject publicConfig;
        using (var document = JsonDocument.Parse("{\"host\":\"h\",\"from_email\":\"a@example.com\"}"))
        {
            publicConfig = ChannelConfigMerger.Merge("email", "smtp", null, document.RootElement, false).Config!.Public;
        }

        Assert.Equal("h", Text(publicConfig, "host"));
    }
}
