namespace Notiflows.Server.Providers.Email;

/// <summary>
/// Server settings shared by providers: the call timeout (<c>Notiflows:Providers:TimeoutSeconds</c>, default 30 s as in
/// §12.9; tests shorten it), a provider's base URL override (<c>Notiflows:Providers:{provider}:BaseUrl</c>, tests point it
/// at in-process fakes), and <c>Notiflows:Providers:smtp:AllowInvalidCertificates</c> (tests only: lets the SMTP provider
/// accept a throwaway self-signed certificate; never set it in production).
/// </summary>
public sealed class ProviderSettings(IConfiguration configuration)
{
    public TimeSpan Timeout =>
        TimeSpan.FromSeconds(configuration.GetValue<double?>("Notiflows:Providers:TimeoutSeconds") is { } s and > 0 ? s : 30);

    public Uri BaseUrl(string provider, string documented) =>
        new(configuration[$"Notiflows:Providers:{provider}:BaseUrl"] is { Length: > 0 } url ? url : documented);

    public bool HasBaseUrl(string provider) => configuration[$"Notiflows:Providers:{provider}:BaseUrl"] is { Length: > 0 };

    public bool AllowInvalidCertificates(string provider) =>
        configuration.GetValue<bool>($"Notiflows:Providers:{provider}:AllowInvalidCertificates");
}
