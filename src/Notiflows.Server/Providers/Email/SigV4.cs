using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Notiflows.Server.Providers.Email;

/// <summary>
/// AWS Signature Version 4 for a request without query string: canonical request, string to sign, signing key
/// (HMAC chain over date, region, service, "aws4_request"), then the <c>Authorization</c> header.
/// Algorithm: https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
/// </summary>
public static class SigV4
{
    /// <summary>
    /// Signs <paramref name="headers"/> (lowercase names → values; must include <c>host</c> and <c>x-amz-date</c>) and
    /// returns the <c>Authorization</c> header value.
    /// </summary>
    public static string Authorization(
        string method, string path, IReadOnlyDictionary<string, string> headers, byte[] payload,
        string accessKeyId, string secretAccessKey, string region, string service, DateTimeOffset now)
    {
        var date = now.UtcDateTime.ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var sorted = headers.OrderBy(h => h.Key, StringComparer.Ordinal).ToArray();
        var signedHeaders = string.Join(';', sorted.Select(h => h.Key));
        var canonicalRequest = string.Join('\n',
            method, path, "",
            string.Concat(sorted.Select(h => $"{h.Key}:{h.Value.Trim()}\n")),
            signedHeaders,
            Hex(SHA256.HashData(payload)));
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = string.Join('\n',
            "AWS4-HMAC-SHA256", AmzDate(now), scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));
        var key = Encoding.UTF8.GetBytes("AWS4" + secretAccessKey);
        foreach (var part in new[] { date, region, service, "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
        }
        var signature = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        return $"AWS4-HMAC-SHA256 Credential={accessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    /// <summary>The <c>x-amz-date</c> form of a time: <c>yyyyMMddTHHmmssZ</c>.</summary>
    public static string AmzDate(DateTimeOffset now) => now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    public static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
