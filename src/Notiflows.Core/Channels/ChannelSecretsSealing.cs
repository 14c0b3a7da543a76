using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Notiflows.Core.Secrets;

namespace Notiflows.Core.Channels;

/// <summary>
/// Stores <see cref="ChannelConfig.Secrets"/> as one ciphertext (§16.3). Pass the channel id as
/// <c>associatedData</c> so a ciphertext copied onto another channel's row does not decrypt.
/// </summary>
public static class ChannelSecretsSealing
{
    public static string SealSecrets(this SecretBox box, JsonObject secrets, string? associatedData = null)
    {
        ArgumentNullException.ThrowIfNull(box);
        ArgumentNullException.ThrowIfNull(secrets);
        return box.Encrypt(secrets.ToJsonString(), associatedData);
    }

    /// <exception cref="CryptographicException">Tampered with, other key or other associated data.</exception>
    public static JsonObject OpenSecrets(this SecretBox box, string sealedSecrets, string? associatedData = null)
    {
        ArgumentNullException.ThrowIfNull(box);
        return JsonNode.Parse(box.Decrypt(sealedSecrets, associatedData))?.AsObject()
            ?? throw new CryptographicException("Sealed channel secrets are not a JSON object.");
    }
}
