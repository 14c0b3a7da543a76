using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Notiflows.Core.Common;

namespace Notiflows.Core.Users;

/// <summary>Parsing and validation of user objects (§5.1) and the custom_fields deep merge.</summary>
public static partial class UserFields
{
    public const int MaxCustomFieldsBytes = 64 * 1024;

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"^\+[1-9]\d{1,14}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")]
    private static partial Regex LocalePattern();

    /// <summary>Parses a user object, or a bare string meaning <c>{"external_id": s}</c>; errors are reported under <paramref name="prefix"/>.</summary>
    public static UserInput? Parse(JsonElement element, string prefix, List<FieldError> errors)
    {
        if (element.ValueKind == JsonValueKind.String)
        {
            var id = element.GetString()!;
            return CheckExternalId(id, prefix, errors) ? UserInput.Id(id) : null;
        }
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError(prefix, "must be a user object or an external id", Reasons.Invalid));
            return null;
        }
        var r = new ObjectReader(element, prefix, errors);
        var before = errors.Count;
        var externalId = r.String("external_id");
        if (externalId.Value is null)
        {
            if (errors.Count == before)
            {
                r.Add("external_id", "can't be blank", Reasons.Required);
            }
            return null;
        }
        if (!CheckExternalId(externalId.Value, r.PathOf("external_id"), errors))
        {
            return null;
        }
        var input = ParseAttributes(r, externalId.Value);
        return errors.Count == before ? input : null;
    }

    /// <summary>The attributes of a user object whose external id is already known (user upsert takes it from the path).</summary>
    public static UserInput ParseAttributes(ObjectReader r, string externalId)
    {
        var email = r.String("email", 0, 254);
        if (email.Value is { } e && !EmailPattern().IsMatch(e))
        {
            r.Add("email", "is not a valid email address", Reasons.Format);
        }
        var phone = r.String("phone");
        if (phone.Value is { } p && !PhonePattern().IsMatch(p))
        {
            r.Add("phone", "must be an E.164 number such as +15551234567", Reasons.Format);
        }
        var avatar = r.String("avatar", 0, 2048);
        if (avatar.Value is { } a && !(Uri.TryCreate(a, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"))
        {
            r.Add("avatar", "must be an absolute http(s) URL", Reasons.Format);
        }
        var locale = r.String("locale", 0, 35);
        if (locale.Value is { } l && !LocalePattern().IsMatch(l))
        {
            r.Add("locale", "must be a BCP 47 language tag such as en-US", Reasons.Format);
        }
        var timezone = r.String("timezone", 0, 64);
        if (timezone.Value is { } tz && !TimeZoneInfo.TryFindSystemTimeZoneById(tz, out _))
        {
            r.Add("timezone", "must be an IANA time zone such as America/New_York", Reasons.Invalid);
        }
        return new UserInput(externalId, email, phone, r.String("first_name", 0, 255), r.String("last_name", 0, 255), avatar, locale, timezone,
            ReadCustomFields(r));
    }

    private static Optional<JsonObject> ReadCustomFields(ObjectReader r)
    {
        var raw = r.Raw("custom_fields");
        if (!raw.IsPresent || raw.Value.ValueKind == JsonValueKind.Null)
        {
            return raw.IsPresent ? new(true, null) : default;
        }
        if (raw.Value.ValueKind != JsonValueKind.Object)
        {
            r.Add("custom_fields", "must be an object", Reasons.Invalid);
            return default;
        }
        if (raw.Value.GetRawText().Length > MaxCustomFieldsBytes)
        {
            r.Add("custom_fields", "must be at most 64 KiB", Reasons.TooLong);
            return default;
        }
        return new(true, JsonNode.Parse(raw.Value.GetRawText())!.AsObject());
    }

    public static bool CheckExternalId(string id, string field, List<FieldError> errors)
    {
        if (id.Length == 0)
        {
            errors.Add(new FieldError(field, "can't be blank", Reasons.Required));
            return false;
        }
        if (id.Length > 255)
        {
            errors.Add(new FieldError(field, "must be at most 255 characters", Reasons.TooLong));
            return false;
        }
        if (id.Any(c => char.IsControl(c) || c == '/'))
        {
            errors.Add(new FieldError(field, "must not contain control characters or '/'", Reasons.Format));
            return false;
        }
        return true;
    }

    /// <summary>Nested objects merge recursively; arrays and scalars replace; a key set to null is removed (§5.1).</summary>
    public static JsonObject DeepMerge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is null)
            {
                target.Remove(key);
            }
            else if (value is JsonObject nested && target[key] is JsonObject existing)
            {
                DeepMerge(existing, nested);
            }
            else if (value is JsonObject replacement)
            {
                target[key] = DeepMerge([], replacement); // a new object keeps no null members (they mean "absent")
            }
            else
            {
                target[key] = value.DeepClone();
            }
        }
        return target;
    }
}
