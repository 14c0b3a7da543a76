using static Notiflows.Core.Channels.FieldRules;

namespace Notiflows.Core.Channels;

/// <summary>The email rows of §14.2.</summary>
internal static class EmailProviderSpecs
{
    public static IEnumerable<ProviderSpec> All()
    {
        yield return Spec(Providers.Smtp,
            new ConfigField("host", Text(253)).AsRequired(),
            new ConfigField("port", IntRange(1, 65_535)).WithDefault(587),
            new ConfigField("username", Text()),
            new ConfigField("password", Text()).AsSecret(),
            new ConfigField("security", OneOf("none", "starttls", "tls")).WithDefault("starttls"));
        yield return Spec(Providers.SendGrid,
            ApiKey(),
            new ConfigField("event_webhook_public_key", Text(BlobLength)));
        yield return Spec(Providers.Ses,
            new ConfigField("access_key_id", Text()).AsRequired(),
            new ConfigField("secret_access_key", Text()).AsSecret().AsRequired(),
            new ConfigField("region", Text(64)).AsRequired(),
            new ConfigField("configuration_set", Text()));
        yield return Spec(Providers.Resend,
            ApiKey(),
            new ConfigField("webhook_secret", Text()).AsSecret());
        yield return Spec(Providers.Mailgun,
            ApiKey(),
            new ConfigField("domain", Text(253)).AsRequired(),
            new ConfigField("region", OneOf("us", "eu")).WithDefault("us"),
            new ConfigField("webhook_signing_key", Text()).AsSecret());
        yield return Spec(Providers.Postmark,
            new ConfigField("server_token", Text()).AsSecret().AsRequired(),
            new ConfigField("message_stream", Text()).WithDefault("outbound"),
            new ConfigField("webhook_username", Text()),
            new ConfigField("webhook_password", Text()).AsSecret());
    }

    /// <summary>The sender fields every email provider has; they follow the provider's own fields.</summary>
    public static ConfigField[] SenderFields(bool fromEmailRequired) =>
    [
        fromEmailRequired ? new ConfigField("from_email", Email()).AsRequired() : new ConfigField("from_email", Email()),
        new ConfigField("from_name", Text()),
        new ConfigField("reply_to", Email()),
    ];

    private static ConfigField ApiKey() => new ConfigField("api_key", Text()).AsSecret().AsRequired();

    private static ProviderSpec Spec(string provider, params ConfigField[] fields) =>
        new(ChannelTypes.Email, provider, [.. fields, .. SenderFields(fromEmailRequired: true)]);
}
