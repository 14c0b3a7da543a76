using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;

namespace Notiflows.Server.Tests.Providers.Events;

/// <summary>
/// Signs inbound events the way SendGrid and Amazon SNS document it, for the unit tests of the sources and the endpoint
/// tests alike.
/// </summary>
public static class SignedEventSigning
{
    /// <summary>SendGrid's signed event webhook: base64 DER ECDSA P-256/SHA-256 over <c>timestamp + raw body</c>.</summary>
    public static string SendGrid(ECDsa key, string timestamp, byte[] body) => Convert.ToBase64String(
        key.SignData([.. Encoding.UTF8.GetBytes(timestamp), .. body], HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    /// <summary>
    /// Sets <c>Signature</c> the way SNS documents it: "Name\nValue\n" for the type's fields, in byte order, signed with
    /// SHA1withRSA (SignatureVersion 1) or SHA256withRSA (2).
    /// </summary>
    public static JsonObject Sns(JsonObject sns, RSA key)
    {
        string[] fields = sns["Type"]!.GetValue<string>() == "Notification"
            ? ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
            : ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"];
        var text = string.Concat(fields.Where(sns.ContainsKey).Select(f => $"{f}\n{sns[f]!.GetValue<string>()}\n"));
        var hash = sns["SignatureVersion"]!.GetValue<string>() == "1" ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        sns["Signature"] = Convert.ToBase64String(key.SignData(Encoding.UTF8.GetBytes(text), hash, RSASignaturePadding.Pkcs1));
        return sns;
    }

    /// <summary>A self-signed stand-in for an SNS signing certificate.</summary>
    public static X509Certificate2 SnsCertificate(RSA key, DateTimeOffset from, DateTimeOffset until) =>
        new CertificateRequest("CN=sns.amazonaws.com", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1).CreateSelfSigned(from, until);
}
