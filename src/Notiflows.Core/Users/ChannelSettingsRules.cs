using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Notiflows.Core.Channels;
using Notiflows.Core.Common;

namespace Notiflows.Core.Users;

/// <summary>
/// A user's settings object for one channel (§14.3): which channel types take one, and its shape per provider. The
/// result is the normalised blob that is stored: only the known keys (unknown keys are dropped, as every unknown request
/// field is, §4.1), device tokens without duplicates. Chat <c>sandbox</c> takes any non-empty object, stored as sent.
/// </summary>
public static partial class ChannelSettingsRules
{
    public const int MaxDeviceTokens = 100;
    public const int MaxTokenLength = 4096;
    public const int MaxIdLength = 255;

    [GeneratedRegex("^[UW][A-Z0-9]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex SlackUserPattern();

    [GeneratedRegex("^[CGD][A-Z0-9]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex SlackChannelPattern();

    /// <summary>Mobile push and chat channels take settings; web push takes channel subscriptions (§5.7); the others nothing.</summary>
    public static bool TakesSettings(string type) => type is ChannelTypes.MobilePush or ChannelTypes.Chat;

    /// <summary>The not_allowed error for a channel that takes no settings, reported on <paramref name="path"/>.</summary>
    public static FieldError NotAllowed(string type, string path) => new(path,
        type == ChannelTypes.WebPush ? "web_push channels take channel subscriptions, not channel settings" : $"{type} channels take no channel settings",
        Reasons.NotAllowed);

    /// <summary>
    /// Validates <paramref name="settings"/> (found at <paramref name="path"/>) for a channel of <paramref name="type"/> and
    /// <paramref name="provider"/>; returns the normalised blob, or null after adding the errors.
    /// </summary>
    public static JsonObject? Validate(string type, string provider, Optional<JsonElement> settings, string path, List<FieldError> errors)
    {
        if (!TakesSettings(type))
        {
            errors.Add(NotAllowed(type, path));
            return null;
        }
        if (RequiredObject(settings, path, errors) is not { } element)
        {
            return null;
        }
        var before = errors.Count;
        var r = new ObjectReader(element, path, errors);
        var result = (type, provider) switch
        {
            (ChannelTypes.MobilePush, _) => Push(r),
            (_, Providers.Slack) => Slack(r, path),
            (_, Providers.Discord) => Discord(r, path),
            (_, Providers.MsTeams) => new JsonObject { ["webhook_url"] = Required(r, "webhook_url", 1, WebPushRules.MaxUrlLength, HttpsUrl) },
            _ => AnyNonEmpty(element, path, errors),
        };
        return errors.Count == before ? result : null;
    }

    /// <summary>The object at <paramref name="path"/>: absent or null → required, another JSON type → invalid.</summary>
    internal static JsonElement? RequiredObject(Optional<JsonElement> value, string path, List<FieldError> errors)
    {
        if (!value.IsPresent || value.Value.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new FieldError(path, "can't be blank", Reasons.Required));
            return null;
        }
        if (value.Value.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(path, "must be an object", Reasons.Invalid));
            return null;
        }
        return value.Value;
    }

    /// <summary>A required string field, checked by <paramref name="format"/> (null when it passes) once its length is right.</summary>
    internal static string? Required(ObjectReader r, string name, int min, int max, Func<string, string?>? format = null)
    {
        var before = r.Errors.Count;
        var value = Optional(r, name, min, max, format);
        if (value is null && r.Errors.Count == before)
        {
            r.Add(name, "can't be blank", Reasons.Required);
        }
        return value;
    }

    private static string? Optional(ObjectReader r, string name, int min, int max, Func<string, string?>? format = null)
    {
        var value = r.String(name, min, max).Value;
        if (value is not null && format?.Invoke(value) is { } problem)
        {
            r.Add(name, problem, Reasons.Format);
            return null;
        }
        return value;
    }

    internal static string? HttpsUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && !string.IsNullOrEmpty(uri.Host)
            ? null
            : "must be an absolute https URL";

    private static Func<string, string?> Matching(Regex pattern, string message) => value => pattern.IsMatch(value) ? null : message;

    private static JsonObject Push(ObjectReader r)
    {
        var raw = r.Raw("device_tokens");
        var path = r.PathOf("device_tokens");
        if (!raw.IsPresent || raw.Value.ValueKind == JsonValueKind.Null)
        {
            r.Add("device_tokens", "can't be blank", Reasons.Required);
            return [];
        }
        if (raw.Value.ValueKind != JsonValueKind.Array)
        {
            r.Add("device_tokens", "must be an array of device tokens", Reasons.Invalid);
            return [];
        }
        var count = raw.Value.GetArrayLength();
        if (count is 0 or > MaxDeviceTokens)
        {
            r.Add("device_tokens", $"must have 1-{MaxDeviceTokens} device tokens", count == 0 ? Reasons.TooShort : Reasons.TooMany);
            return [];
        }
        var tokens = new List<string>();
        var index = 0;
        foreach (var item in raw.Value.EnumerateArray())
        {
            var problem = item.ValueKind != JsonValueKind.String ? ("must be a string", Reasons.Invalid)
                : item.GetString()!.Trim().Length == 0 ? ("can't be blank", Reasons.TooShort)
                : item.GetString()!.Length > MaxTokenLength ? ($"must be at most {MaxTokenLength} characters", Reasons.TooLong)
                : default((string, string)?);
            if (problem is var (message, reason))
            {
                r.Errors.Add(new FieldError($"{path}[{index}]", message, reason));
            }
            else
            {
                tokens.Add(item.GetString()!);
            }
            index++;
        }
        return new JsonObject { ["device_tokens"] = new JsonArray([.. tokens.Distinct(StringComparer.Ordinal).Select(t => JsonValue.Create(t))]) };
    }

    private static JsonObject Slack(ObjectReader r, string path)
    {
        var user = Optional(r, "slack_user_id", 1, MaxIdLength, Matching(SlackUserPattern(), "must be a Slack user id (U… or W…)"));
        var channel = Optional(r, "slack_channel_id", 1, MaxIdLength, Matching(SlackChannelPattern(), "must be a Slack channel id (C…, G… or D…)"));
        return AtLeastOne(r, path, ("slack_user_id", user), ("slack_channel_id", channel));
    }

    private static JsonObject Discord(ObjectReader r, string path)
    {
        var webhook = Optional(r, "webhook_url", 1, WebPushRules.MaxUrlLength, HttpsUrl);
        var channel = Optional(r, "discord_channel_id", 1, MaxIdLength);
        return AtLeastOne(r, path, ("webhook_url", webhook), ("discord_channel_id", channel));
    }

    /// <summary>The set members of a settings object that needs at least one of them (a missing pair → required on the object).</summary>
    private static JsonObject AtLeastOne(ObjectReader r, string path, params (string Name, string? Value)[] members)
    {
        if (members.All(m => m.Value is null) && !r.Errors.Exists(e => members.Any(m => e.Field == r.PathOf(m.Name))))
        {
            r.Errors.Add(new FieldError(path, $"must set {string.Join(" or ", members.Select(m => m.Name))}", Reasons.Required));
        }
        var result = new JsonObject();
        foreach (var (name, value) in members.Where(m => m.Value is not null))
        {
            result[name] = value;
        }
        return result;
    }

    private static JsonObject AnyNonEmpty(JsonElement element, string path, List<FieldError> errors)
    {
        var obj = JsonInput.ToNode(element)!.AsObject();
        if (obj.Count == 0)
        {
            errors.Add(new FieldError(path, "must not be empty", Reasons.Required));
        }
        return obj;
    }
}
