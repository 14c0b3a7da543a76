namespace Notiflows.Server.Providers;

/// <summary>
/// Server settings shared by providers: the call timeout (<c>Notiflows:Providers:TimeoutSeconds</c>, default 30 s as in
/// §12.9; tests shorten it), a provider's base URL override (<c>Notiflows:Providers:{provider}:BaseUrl</c>, tests point it
/// at in-process fakes), and <c>Notiflows:Providers:smtp:AllowInvalidCertificates</c> (tests only: lets the SMTP provider
/// accept a throwaway self-signed certificate; never set it in production).
/// </summary>
public sealed class ProviderSettings(IConfiguration configuration)
{
    public const double DefaultTimeoutSeconds = 30;

    /// <summary>The provider call timeout; a channel's own limit (webhook <c>timeout_seconds</c>) can only shorten it.</summary>
    public TimeSpan Timeout(double? channelSeconds = null)
    {
        var seconds = configuration.GetValue<double?>("Notiflows:Providers:TimeoutSeconds") is { } s and > 0 ? s : DefaultTimeoutSeconds;
        return TimeSpan.FromSeconds(channelSeconds is { } c ? Math.Min(c, seconds) : seconds);
    }

    /// <summary>The configured base URL of <paramref name="provider"/>, else <paramref name="documented"/>; no trailing slash.</summary>
    public string BaseUrl(string provider, string documented) =>
        (configuration[$"Notiflows:Providers:{provider}:BaseUrl"] is { Length: > 0 } url ? url : documented).TrimEnd('/');

    public bool AllowInvalidCertificates(string provider) =>
        configuration.GetValue<bool>($"Notiflows:Providers:{provider}:AllowInvalidCertificates");
}
