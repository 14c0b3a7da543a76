namespace Notiflows.Core.Definitions;

/// <summary>The twelve condition operators (§10.4) and the value types of §10.1.</summary>
public static class ConditionOperators
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "equal_to", "not_equal_to", "greater_than", "less_than", "greater_than_or_equal_to", "less_than_or_equal_to",
        "contains", "does_not_contain", "starts_with", "ends_with", "is_empty", "is_not_empty",
    };

    public static readonly IReadOnlySet<string> GroupOperators = new HashSet<string>(StringComparer.Ordinal) { "and", "or" };

    public static readonly IReadOnlySet<string> ValueTypes = new HashSet<string>(StringComparer.Ordinal) { "static", "ref" };
}
