using Notiflows.Core.Channels;
namespace Notiflows.Core.Definitions;

/// <summary>How one <c>template.data</c> field is typed (§11.3).</summary>
internal enum FieldKind
{
    Liquid,
    Stored,
    Enum,
    Action,
    NonNegativeInteger,
    Fraction,
    Headers,
}

/// <summary>One field of a channel's template schema.</summary>
internal sealed record TemplateField(string Name, FieldKind Kind, bool Required = false, IReadOnlyList<string>? Values = null);

/// <summary>Per-channel template schemas (§11.3).</summary>
internal static class TemplateSchema
{
    private static readonly Dictionary<string, (IReadOnlyList<TemplateField> Fields, string DefaultContentType)> Schemas =
        new(StringComparer.Ordinal)
        {
            [ChannelTypes.Email] = ([Req("subject"), Req("body"), Content("visual", "html", "plaintext"), Raw()], "plaintext"),
            [ChannelTypes.Sms] = ([Req("body"), Content("plaintext")], "plaintext"),
            [ChannelTypes.InApp] = (
            [
                Req("body"), Content("markdown"), Opt("title"), Opt("action_url"),
                new("action_type", FieldKind.Enum, Values: ["default", "single", "multi"]),
                new("primary_action", FieldKind.Action), new("secondary_action", FieldKind.Action),
            ], "markdown"),
            [ChannelTypes.Chat] = ([Req("body"), Content("markdown", "json"), Raw()], "markdown"),
            [ChannelTypes.WebPush] = ([Req("title"), Req("body"), Content("plaintext"), Opt("icon"), Opt("image"), Opt("action_url")], "plaintext"),
            [ChannelTypes.MobilePush] = (
            [
                Req("title"), Req("body"), Content("plaintext"), Opt("subtitle"), Opt("image_url"), Opt("action_url"),
                Opt("sound"), new("badge_count", FieldKind.NonNegativeInteger), Opt("category"), Opt("thread_id"),
                Opt("collapse_id"),
                new("interruption_level", FieldKind.Enum, Values: ["passive", "active", "time_sensitive", "critical"]),
                new("priority", FieldKind.Enum, Values: ["normal", "high"]), new("relevance_score", FieldKind.Fraction),
                new("ttl", FieldKind.NonNegativeInteger), Opt("android_channel_id"),
            ], "plaintext"),
            [ChannelTypes.Webhook] = (
            [
                Content("json", "plaintext"), Opt("body"), Opt("url"),
                new("method", FieldKind.Enum, Values: ["GET", "POST", "PUT", "PATCH", "DELETE"]),
                new("headers", FieldKind.Headers),
            ], "json"),
        };

    public static IReadOnlyList<TemplateField> Fields(string channelType) => Schemas[channelType].Fields;

    public static string DefaultContentType(string channelType) => Schemas[channelType].DefaultContentType;

    private static TemplateField Req(string name) => new(name, FieldKind.Liquid, Required: true);

    private static TemplateField Opt(string name) => new(name, FieldKind.Liquid);

    private static TemplateField Raw() => new("raw_body", FieldKind.Stored);

    private static TemplateField Content(params string[] values) => new("content_type", FieldKind.Enum, Values: values);
}
