namespace Notiflows.Core.Conditions;

/// <summary>The standard attributes of a user (§5.1, §10.2); any other name on a user falls back to <c>custom_fields</c>.</summary>
internal static class UserAttributes
{
    public const string CustomFields = "custom_fields";

    public static readonly IReadOnlySet<string> Standard = new HashSet<string>(StringComparer.Ordinal)
    {
        "id", "external_id", "email", "phone", "first_name", "last_name", "avatar", "locale", "timezone",
        "created_at", "updated_at", CustomFields,
    };
}
