using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Notiflows.Server.Tests.Providers;

/// <summary>Throwaway self-signed certificates: for 127.0.0.1 and localhost (test servers that must speak TLS), or any subject.</summary>
public static class LoopbackCertificate
{
    /// <summary>A new certificate with its private key (fixed validity 2020–2099, so no clock is involved).</summary>
    public static X509Certificate2 Create()
    {
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        return SelfSigned("CN=localhost", names.Build());
    }

    /// <summary>A new self-signed certificate for <paramref name="subject"/> with its private key (validity 2020–2099).</summary>
    public static X509Certificate2 SelfSigned(string subject, X509Extension? extension = null)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        if (extension is not null)
            request.CertificateExtensions.Add(extension);
        using var certificate = request.CreateSelfSigned(
            new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero));
        // Round-trip through PKCS#12 so the key is usable by SslStream on Linux.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>A server-certificate check that accepts exactly <paramref name="certificate"/> (a client trusting a test server).</summary>
    public static RemoteCertificateValidationCallback Trusting(X509Certificate2 certificate)
    {
        var thumbprint = certificate.Thumbprint;
        return (_, presented, _, _) => presented?.GetCertHashString() == thumbprint;
    }
}
