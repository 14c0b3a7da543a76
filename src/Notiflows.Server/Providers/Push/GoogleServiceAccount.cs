using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Notiflows.Server.Providers.Push;

/// <summary>The fields of a Google service-account key file that the OAuth 2.0 JWT-bearer flow needs.</summary>
public sealed record GoogleServiceAccount(string ClientEmail, string? PrivateKeyId, string PrivateKey, string TokenUri)
{
    public const string DefaultTokenUri = "https://oauth2.googleapis.com/token";

    /// <summary>Reads <c>service_account_json</c> (stored as JSON text, or an object); null when it lacks what the flow needs.</summary>
    public static GoogleServiceAccount? From(JsonObject config)
    {
        var account = config["service_account_json"] as JsonObject ?? JsonFields.ParseObject(config.Text("service_account_json") ?? "");
        return account.Text("client_email") is { } email && account.Text("private_key") is { } key
            ? new(email, account.Text("private_key_id"), key, account.Text("token_uri") ?? DefaultTokenUri)
            : null;
    }

    /// <summary>A digest of the whole key, so a rotated key never reuses a token minted with the old one.</summary>
    public string CacheKey => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{ClientEmail}\n{PrivateKeyId}\n{TokenUri}\n{PrivateKey}")));
}
