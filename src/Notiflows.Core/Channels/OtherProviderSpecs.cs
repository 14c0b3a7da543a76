using System.Text.Json.Nodes;
using static Notiflows.Core.Channels.FieldRules;

namespace Notiflows.Core.Channels;

/// <summary>The non-email rows of §14.2; cross-field rules live in <see cref="CrossFieldChecks"/>.</summary>
internal static class OtherProviderSpecs
{
    public static IEnumerable<ProviderSpec> All()
    {
        yield return new(ChannelTypes.Sms, Providers.Twilio,
        [
            new ConfigField("account_sid", Text()).AsRequired(),
            new ConfigField("auth_token", Text()).AsSecret().AsRequired(),
            new ConfigField("from", Matching(E164Pattern(), "must be an E.164 phone number")),
            new ConfigField("messaging_service_sid", Text()),
        ], CrossFieldChecks.Twilio);
        yield return new(ChannelTypes.MobilePush, Providers.Apns,
        [
            new ConfigField("bundle_id", Text()).AsRequired(),
            new ConfigField("environment", OneOf("production", "sandbox")).AsRequired(),
            new ConfigField("auth_type", OneOf("key", "certificate")).AsRequired(),
            new ConfigField("key_id", AppleId()).AsRequiredWhen(KeyAuth),
            new ConfigField("team_id", AppleId()).AsRequiredWhen(KeyAuth),
            new ConfigField("key", Pem()).AsSecret().AsRequiredWhen(KeyAuth),
            new ConfigField("certificate", Base64()).AsSecret().AsRequiredWhen(CertificateAuth),
            new ConfigField("certificate_password", Text()).AsSecret(),
        ]);
        yield return new(ChannelTypes.MobilePush, Providers.Fcm,
        [
            new ConfigField("project_id", Text()).AsRequired(),
            new ConfigField("service_account_json", JsonObjectText()) { Normalize = JsonObjectToText }.AsSecret().AsRequired(),
        ], CrossFieldChecks.Fcm);
        yield return new(ChannelTypes.WebPush, Providers.WebPush,
        [
            new ConfigField("vapid_public_key", Base64Url()).AsRequired(),
            new ConfigField("vapid_private_key", Base64Url()).AsSecret().AsRequired(),
            new ConfigField("vapid_subject", AbsoluteUri("mailto", "https")).AsRequired(),
        ]);
        yield return new(ChannelTypes.Chat, Providers.Slack, [new ConfigField("bot_token", StartingWith("xoxb-")).AsSecret().AsRequired()]);
        yield return new(ChannelTypes.Chat, Providers.Discord, [new ConfigField("bot_token", Text()).AsSecret()]);
        yield return new(ChannelTypes.Chat, Providers.MsTeams, []);
        yield return new(ChannelTypes.Webhook, Providers.Http,
        [
            new ConfigField("url", AbsoluteUri("http", "https")),
            new ConfigField("headers", HeadersRule.Check) { MaskEachValue = true }.AsSecret(),
            new ConfigField("signing_secret", WebhookSigningSecret.Check) { Generator = WebhookSigningSecret.Generate }.AsSecret(),
            new ConfigField("timeout_seconds", IntRange(1, 30)).WithDefault(10),
        ]);
        yield return new(ChannelTypes.InApp, Providers.InApp, []);
    }

    /// <summary>The sandbox of every type but in_app (§14.2): an outcome, plus sender fields for email and sms.</summary>
    public static IEnumerable<ProviderSpec> Sandboxes()
    {
        var outcome = new ConfigField("outcome", OneOf("sent", "delivered", "bounced", "fail_permanent", "fail_temporary"))
            .WithDefault("sent");
        foreach (var type in ChannelTypes.All.Where(t => t != ChannelTypes.InApp))
        {
            ConfigField[] extra = type switch
            {
                ChannelTypes.Email =>
                [
                    new ConfigField("from_email", Email()).WithDefault("notifications@example.com"),
                    new ConfigField("from_name", Text()),
                ],
                ChannelTypes.Sms => [new ConfigField("from", Text())],
                _ => [],
            };
            yield return new(type, Providers.Sandbox, [outcome, .. extra]);
        }
    }

    private static FieldRule AppleId() => Matching(AppleIdPattern(), "must be exactly 10 letters or digits");

    private static FieldRule Base64Url() => Matching(Base64UrlPattern(), "must be base64url", 512);

    private static bool KeyAuth(JsonObject config) => AuthType(config) == "key";

    private static bool CertificateAuth(JsonObject config) => AuthType(config) == "certificate";

    private static string? AuthType(JsonObject config) =>
        config["auth_type"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
