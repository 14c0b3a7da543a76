using System.Globalization;
using Notiflows.Server.Providers.Email;

namespace Notiflows.Server.Tests.Providers.Email;

/// <summary>Our Signature V4 against the worked example AWS publishes (Amazon S3 API reference, "Example: GET Object").</summary>
public sealed class SigV4Tests
{
    [Fact]
    public void AwsPublishedExample_GetObject_SameSignature()
    {
        var headers = new Dictionary<string, string>
        {
            ["host"] = "examplebucket.s3.amazonaws.com",
            ["range"] = "bytes=0-9",
            ["x-amz-content-sha256"] = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            ["x-amz-date"] = "20130524T000000Z",
        };
        var now = DateTimeOffset.Parse("2013-05-24T00:00:00Z", CultureInfo.InvariantCulture);

        var authorization = SigV4.Authorization("GET", "/test.txt", headers, [],
            "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1", "s3", now);

        Assert.Equal(
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41",
            authorization);
        Assert.Equal("20130524T000000Z", SigV4.AmzDate(now));
    }
}
