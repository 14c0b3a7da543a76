using System.Security.Cryptography;
using Notiflows.Core.Channels;
using Notiflows.Core.Secrets;
using static Notiflows.Core.Tests.Channels.ConfigJson;

namespace Notiflows.Core.Tests.Channels;

public sealed class ChannelSecretsSealingTests
{
    private readonly SecretBox _box = new(SecretBox.ParseMasterKey(SecretBox.GenerateMasterKey()));

    [Fact]
    public void SealSecrets_OpenSecrets_RoundTripsHeadersAndStrings()
    {
        var secrets = Valid("webhook", "http", "{'headers':{'X-Key':'abcdefghijklmnop'},'signing_secret':'generate'}").Secrets;

        var sealedSecrets = _box.SealSecrets(secrets, "channel-1");

        Assert.DoesNotContain("abcdefghijklmnop", sealedSecrets, StringComparison.Ordinal);
        Assert.Equal(secrets.ToJsonString(), _box.OpenSecrets(sealedSecrets, "channel-1").ToJsonString());
    }

    [Fact]
    public void OpenSecrets_OnAnotherChannel_Throws()
    {
        var sealedSecrets = _box.SealSecrets(Object("{'api_key':'k'}"), "channel-1");

        Assert.ThrowsAny<CryptographicException>(() => _box.OpenSecrets(sealedSecrets, "channel-2"));
    }
}
