namespace Notiflows.Server.Api.Management.Projects;

/// <summary>Allowed origins (§3.4): <c>scheme://host[:port]</c>, normalised; <c>http</c> only for localhost and 127.0.0.1.</summary>
public static class Origins
{
    public static string? Normalise(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
            || value.Contains('?', StringComparison.Ordinal) || value.Contains('#', StringComparison.Ordinal)
            || uri.AbsolutePath != "/" || value.TrimEnd('/').Length != value.Length - (value.EndsWith('/') ? 1 : 0)
            || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return null;
        }
        var withoutSlash = value.EndsWith('/') ? value[..^1] : value;
        if (withoutSlash.IndexOf('/', uri.Scheme.Length + 3) >= 0)
        {
            return null;
        }
        var host = uri.Host.ToLowerInvariant();
        if (uri.Scheme == "http" && host is not ("localhost" or "127.0.0.1"))
        {
            return null;
        }
        return uri.IsDefaultPort ? $"{uri.Scheme}://{host}" : $"{uri.Scheme}://{host}:{uri.Port}";
    }
}
