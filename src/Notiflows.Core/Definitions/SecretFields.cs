namespace Notiflows.Core.Definitions;

/// <summary>Secret provider config fields of any provider (§14.2); never allowed in a step's <c>provider_settings</c>.</summary>
public static class SecretFields
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "password", "api_key", "secret_access_key", "webhook_secret", "webhook_signing_key", "server_token",
        "webhook_password", "auth_token", "key", "certificate", "certificate_password", "service_account_json",
        "vapid_private_key", "bot_token", "headers", "signing_secret",
    };
}
