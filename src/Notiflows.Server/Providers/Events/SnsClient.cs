using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;

namespace Notiflows.Server.Providers.Events;

/// <summary>
/// The calls an SNS subscriber makes back to Amazon SNS: fetching the certificate a message names in
/// <c>SigningCertURL</c> (cached per URL, only successes) to verify its signature, and confirming a subscription by a GET
/// of its <c>SubscribeURL</c>. Both URLs are trusted only when they are <c>https</c> on the SNS host of the channel's
/// region: <c>sns.&lt;region&gt;.amazonaws.com</c>, or <c>sns.&lt;region&gt;.amazonaws.com.cn</c> for the China regions
/// (<c>cn-*</c>), whose endpoints live under <c>amazonaws.com.cn</c> (AWS: "ensure the SigningCertURL is from a trusted
/// AWS domain", https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html). That https host is the
/// trust anchor, as in the AWS SDK message validators: the certificate's chain is not checked again, only its validity
/// period. Calls go through the named client <see cref="HttpClientName"/> (no redirects, small bodies, short timeout).
/// </summary>
public sealed partial class SnsClient(IHttpClientFactory clients, TimeProvider time, ILogger<SnsClient> logger)
{
    public const string HttpClientName = "sns";
    private const int MaxCertificateBytes = 64 * 1024;

    private readonly ConcurrentDictionary<string, X509Certificate2> _certificates = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="url"/> is an https URL on the SNS host of <paramref name="region"/>.</summary>
    public static bool IsSnsUrl(Uri url, string region) =>
        RegionPattern().IsMatch(region)
        && url is { IsAbsoluteUri: true, Scheme: "https", UserInfo: "", IsDefaultPort: true }
        && string.Equals(url.IdnHost, $"sns.{region}.amazonaws.com{(region.StartsWith("cn-", StringComparison.Ordinal) ? ".cn" : "")}",
            StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Whether <paramref name="message"/> carries a valid SNS signature: SignatureVersion 1 is SHA1withRSA, 2 is
    /// SHA256withRSA, over <see cref="SnsMessage.StringToSign"/>, with the certificate from its SigningCertURL.
    /// </summary>
    public async Task<bool> VerifyAsync(SnsMessage message, string region, CancellationToken ct)
    {
        HashAlgorithmName? hash = message.SignatureVersion switch
        {
            "1" => HashAlgorithmName.SHA1,
            "2" => HashAlgorithmName.SHA256,
            _ => null,
        };
        if (hash is null || !IsSnsUrl(message.SigningCertUrl, region)
            || await CertificateAsync(message.SigningCertUrl, ct) is not { } certificate)
        {
            return false;
        }
        var now = time.GetUtcNow();
        if (now < certificate.NotBefore.ToUniversalTime() || now > certificate.NotAfter.ToUniversalTime())
        {
            return false;
        }
        using var rsa = certificate.GetRSAPublicKey();
        return rsa is not null && rsa.VerifyData(message.StringToSign(), message.Signature, hash.Value, RSASignaturePadding.Pkcs1);
    }

    /// <summary>Confirms a subscription by a GET of its <c>SubscribeURL</c>; false when the URL is not trusted or the call fails.</summary>
    public async Task<bool> ConfirmAsync(string? subscribeUrl, string region, string? topicArn, CancellationToken ct)
    {
        if (!Uri.TryCreate(subscribeUrl, UriKind.Absolute, out var url) || !IsSnsUrl(url, region))
        {
            LogUntrustedSubscribeUrl(logger, topicArn);
            return false;
        }
        try
        {
            using var response = await Client().GetAsync(url, ct);
            if (response.IsSuccessStatusCode)
            {
                LogConfirmed(logger, topicArn);
                return true;
            }
            LogConfirmFailed(logger, topicArn, $"{(int)response.StatusCode} {response.ReasonPhrase}");
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            LogConfirmFailed(logger, topicArn, e.Message);
        }
        return false;
    }

    private async Task<X509Certificate2?> CertificateAsync(Uri url, CancellationToken ct)
    {
        if (_certificates.TryGetValue(url.AbsoluteUri, out var cached))
        {
            return cached;
        }
        try
        {
            var pem = await Client().GetStringAsync(url, ct);
            var certificate = X509Certificate2.CreateFromPem(pem);
            return _certificates.GetOrAdd(url.AbsoluteUri, certificate);
        }
        catch (Exception e) when (e is HttpRequestException or CryptographicException or ArgumentException
            || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            LogCertificateFailed(logger, url, e.Message);
            return null;
        }
    }

    private HttpClient Client()
    {
        var client = clients.CreateClient(HttpClientName);
        client.MaxResponseContentBufferSize = MaxCertificateBytes;
        return client;
    }

    [GeneratedRegex(@"^[a-z]{2}(-[a-z]+)+-[0-9]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex RegionPattern();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The SNS signing certificate {Url} could not be fetched: {Error}")]
    private static partial void LogCertificateFailed(ILogger logger, Uri url, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Confirmed the SNS subscription to topic {TopicArn}")]
    private static partial void LogConfirmed(ILogger logger, string? topicArn);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not confirm the SNS subscription to topic {TopicArn}: {Error}")]
    private static partial void LogConfirmFailed(ILogger logger, string? topicArn, string error);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Ignored the SNS subscription confirmation of topic {TopicArn}: its SubscribeURL is off the region's SNS host")]
    private static partial void LogUntrustedSubscribeUrl(ILogger logger, string? topicArn);
}
