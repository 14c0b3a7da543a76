using System.Text.Json;
using System.Text.Json.Nodes;
using Notiflows.Core.Channels;
using Notiflows.Core.Common;

namespace Notiflows.Core.Users;

/// <summary>A web-push channel subscription as a request gives it (§5.7).</summary>
public sealed record WebPushSubscriptionInput(string Identifier, JsonObject Settings);

/// <summary>Web-push channel subscriptions (§5.7): the add/update body and the remove body.</summary>
public static class WebPushRules
{
    public const int MaxSubscriptions = 100;
    public const int MaxIdentifierLength = 2048;
    public const int MaxUrlLength = 2048;
    public const int MaxKeyLength = 1024;

    /// <summary><c>{identifier*, settings*: {endpoint*, p256dh*, auth*}}</c>; unknown keys are dropped.</summary>
    public static WebPushSubscriptionInput? Parse(JsonElement body, List<FieldError> errors)
    {
        var before = errors.Count;
        var identifier = Identifier(body, errors);
        var r = new ObjectReader(body, "", errors);
        if (ChannelSettingsRules.RequiredObject(r.Raw("settings"), "settings", errors) is not { } element)
        {
            return null;
        }
        var sr = new ObjectReader(element, "settings", errors);
        var settings = new JsonObject
        {
            ["endpoint"] = ChannelSettingsRules.Required(sr, "endpoint", 1, MaxUrlLength, ChannelSettingsRules.HttpsUrl),
            ["p256dh"] = ChannelSettingsRules.Required(sr, "p256dh", 1, MaxKeyLength, Base64Url),
            ["auth"] = ChannelSettingsRules.Required(sr, "auth", 1, MaxKeyLength, Base64Url),
        };
        return errors.Count == before ? new WebPushSubscriptionInput(identifier!, settings) : null;
    }

    /// <summary>The required <c>identifier</c> (1–2048 chars) of a body; null after adding the error.</summary>
    public static string? Identifier(JsonElement body, List<FieldError> errors) =>
        ChannelSettingsRules.Required(new ObjectReader(body, "", errors), "identifier", 1, MaxIdentifierLength);

    private static string? Base64Url(string value) => FieldRules.Base64UrlPattern().IsMatch(value) ? null : "must be base64url";
}
