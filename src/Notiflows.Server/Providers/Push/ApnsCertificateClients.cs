using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Notiflows.Server.Providers.Push;

/// <summary>
/// How the APNs certificate-auth connections check the server's certificate: null (production) is the platform's normal
/// validation; tests set a callback that trusts their fake's throwaway certificate.
/// </summary>
public sealed class ApnsTlsOptions
{
    public RemoteCertificateValidationCallback? ServerCertificateValidation { get; init; }
}

/// <summary>
/// The HTTP/2 connections of APNs certificate-based authentication ("Establishing a certificate-based connection to APNs"):
/// one <see cref="SocketsHttpHandler"/> per distinct .p12 (keyed by a hash of its bytes and password), presenting that
/// certificate for TLS client authentication. At most <see cref="Capacity"/> are kept; the least recently used one is dropped
/// beyond that and disposed once any call still using it has timed out.
/// </summary>
public sealed class ApnsCertificateClients(ApnsTlsOptions tls, ProviderSettings settings, TimeProvider time) : IDisposable
{
    public const int Capacity = 100;

    private readonly ConcurrentDictionary<string, Entry> _cache = new(StringComparer.Ordinal);

    /// <summary>
    /// The invoker for the base64 .p12 <paramref name="certificate"/>, or null with the reason when it cannot be used (the
    /// reason never contains the certificate or its password).
    /// </summary>
    public (HttpMessageInvoker? Invoker, string? Error) Get(string certificate, string? password)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(certificate);
        }
        catch (FormatException)
        {
            return (null, "the channel's certificate is not base64");
        }

        var key = CacheKey(bytes, password);
        if (_cache.TryGetValue(key, out var cached))
        {
            cached.Touch(time);
            return (cached.Invoker, null);
        }

        X509Certificate2 loaded;
        try
        {
            loaded = X509CertificateLoader.LoadPkcs12(bytes, password);
        }
        catch (CryptographicException)
        {
            return (null, "the channel's certificate is not a readable PKCS#12 (.p12) file, or its password is wrong");
        }

        if (!loaded.HasPrivateKey)
        {
            loaded.Dispose();
            return (null, "the channel's certificate (.p12) does not contain its private key");
        }

        var entry = new Entry(loaded, Handler(loaded), time);
        var kept = _cache.GetOrAdd(key, entry);
        if (kept != entry)
        {
            entry.Dispose();
            return (kept.Invoker, null);
        }
        Trim();
        return (entry.Invoker, null);
    }

    private HttpMessageInvoker Handler(X509Certificate2 certificate) => new(new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            ClientCertificates = [certificate],
            // Always present this certificate, whatever issuers the server names.
            LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate,
            RemoteCertificateValidationCallback = tls.ServerCertificateValidation,
        },
    });

    private void Trim()
    {
        while (_cache.Count > Capacity)
        {
            var oldest = _cache.MinBy(e => e.Value.LastUsed);
            if (_cache.TryRemove(oldest))
                _ = DisposeLaterAsync(oldest.Value);
        }
    }

    private async Task DisposeLaterAsync(Entry entry)
    {
        await Task.Delay(settings.Timeout() + TimeSpan.FromSeconds(5), time);
        entry.Dispose();
    }

    private static string CacheKey(byte[] certificate, string? password)
    {
        var passwordBytes = Encoding.UTF8.GetBytes(password ?? "");
        return Convert.ToHexString(SHA256.HashData([.. BitConverter.GetBytes(certificate.Length), .. certificate, .. passwordBytes]));
    }

    public void Dispose()
    {
        foreach (var entry in _cache.Values)
            entry.Dispose();
        _cache.Clear();
    }

    private sealed class Entry(X509Certificate2 certificate, HttpMessageInvoker invoker, TimeProvider time) : IDisposable
    {
        private long _lastUsed = time.GetTimestamp();

        public HttpMessageInvoker Invoker => invoker;

        public long LastUsed => Interlocked.Read(ref _lastUsed);

        public void Touch(TimeProvider clock) => Interlocked.Exchange(ref _lastUsed, clock.GetTimestamp());

        public void Dispose()
        {
            invoker.Dispose();
            certificate.Dispose();
        }
    }
}
