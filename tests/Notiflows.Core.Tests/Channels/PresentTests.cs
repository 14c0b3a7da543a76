using Notiflows.Core.Channels;
using static Notiflows.Core.Tests.Channels.ConfigJson;

namespace Notiflows.Core.Tests.Channels;

public sealed class PresentTests
{
    [Fact]
    public void Present_MasksSecretsAndShowsPublicFieldsInSpecOrder()
    {
        var config = Valid("email", "smtp", "{'from_email':'a@b.co','password':'correct-horse-battery','host':'h','username':'u'}");

        var view = ChannelConfigMerger.Present("smtp", config, []);

        Assert.Equal(
            "{\"host\":\"h\",\"port\":587,\"username\":\"u\",\"password\":\"****tery\"," +
            "\"security\":\"starttls\",\"from_email\":\"a@b.co\"}",
            view.ToJsonString());
    }

    [Fact]
    public void Present_ShortSecret_IsOnlyStars()
    {
        var config = Valid("chat", "discord", "{'bot_token':'abc'}");

        Assert.Equal("****", Text(ChannelConfigMerger.Present("discord", config, []), "bot_token"));
    }

    [Fact]
    public void Present_MasksEachHeaderValue()
    {
        var config = Valid("webhook", "http", "{'headers':{'Authorization':'Bearer abcdefghijklmnop','X-Team':'ops'}}");

        var view = ChannelConfigMerger.Present("http", config, []);

        Assert.Equal("{\"Authorization\":\"****mnop\",\"X-Team\":\"****\"}", view["headers"]!.ToJsonString());
    }

    [Fact]
    public void Present_RevealOnce_ShowsGeneratedSigningSecretInClear_LaterReadsMasked()
    {
        var result = Create("webhook", "http", "{'signing_secret':'generate'}");
        var secret = Text(result.Config!.Secrets, "signing_secret")!;

        var first = ChannelConfigMerger.Present("http", result.Config, result.RevealOnce);
        var later = ChannelConfigMerger.Present("http", result.Config, []);

        Assert.Equal(secret, Text(first, "signing_secret"));
        Assert.Equal(SecretMask.Mask(secret), Text(later, "signing_secret"));
    }

    [Fact]
    public void Present_RoundTripOfView_KeepsEverySecret()
    {
        var stored = Valid("webhook", "http",
            "{'url':'https://x.example','headers':{'X-Key':'abcdefghijklmnop'},'signing_secret':'generate'}");
        var view = ChannelConfigMerger.Present("http", stored, []);

        var merged = Update("webhook", "http", stored, view.ToJsonString().Replace('"', '\'')).Config!;

        Assert.Equal(stored.Secrets.ToJsonString(), merged.Secrets.ToJsonString());
        Assert.Equal(stored.Public.ToJsonString(), merged.Public.ToJsonString());
    }

    [Fact]
    public void Present_DoesNotShareNodesWithConfig()
    {
        var config = Valid("email", "smtp", "{'from_email':'a@b.co','host':'h'}");

        var view = ChannelConfigMerger.Present("smtp", config, []);
        view["host"] = "changed";

        Assert.Equal("h", Text(config.Public, "host"));
    }

    [Fact]
    public void Present_UnknownStoredKeys_AreShownAfterKnownOnes_SecretsStillMasked()
    {
        var config = new ChannelConfig(Object("{'legacy':'x','host':'h'}"), Object("{'old_secret':'abcdefghijklmnop'}"));

        var view = ChannelConfigMerger.Present("smtp", config, []);

        Assert.Equal("{\"host\":\"h\",\"legacy\":\"x\",\"old_secret\":\"****mnop\"}", view.ToJsonString());
    }
}
