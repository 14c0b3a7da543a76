using System.Text.Json.Nodes;

namespace Notiflows.Core.Conditions;

/// <summary>Evaluates stored (normalised) condition groups (§10.1) and the twelve operators (§10.4).</summary>
public static class ConditionEvaluator
{
    /// <summary>True when <paramref name="groups"/> is empty or any group matches (groups combine with OR).</summary>
    public static bool Matches(JsonArray groups, EvaluationContext context)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(context);
        if (groups.Count == 0)
        {
            return true;
        }

        foreach (var group in groups)
        {
            if (group is JsonObject obj && GroupMatches(obj, context))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Applies one operator to the resolved property and the value under the coercion rules of §10.3.</summary>
    public static bool Evaluate(string op, JsonNode? left, JsonNode? right)
    {
        ArgumentNullException.ThrowIfNull(op);
        left = JsonViews.IsNull(left) ? null : left;
        right = JsonViews.IsNull(right) ? null : right;
        return op switch
        {
            "equal_to" => EqualTo(left, right),
            "not_equal_to" => !EqualTo(left, right),
            "greater_than" => Ordered(left, right, c => c > 0),
            "less_than" => Ordered(left, right, c => c < 0),
            "greater_than_or_equal_to" => Ordered(left, right, c => c >= 0),
            "less_than_or_equal_to" => Ordered(left, right, c => c <= 0),
            "contains" => Contains(left, right),
            "does_not_contain" => !Contains(left, right),
            "starts_with" => Affix(left, right, static (l, r) => l.StartsWith(r, StringComparison.Ordinal)),
            "ends_with" => Affix(left, right, static (l, r) => l.EndsWith(r, StringComparison.Ordinal)),
            "is_empty" => IsEmpty(left),
            "is_not_empty" => !IsEmpty(left),
            _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown condition operator"),
        };
    }

    private static bool GroupMatches(JsonObject group, EvaluationContext context)
    {
        var any = string.Equals((string?)group["operator"], "or", StringComparison.Ordinal);
        if (group["conditions"] is not JsonArray conditions)
        {
            return !any;
        }

        foreach (var condition in conditions)
        {
            if (condition is JsonObject obj && ConditionMatches(obj, context) == any)
            {
                return any;
            }
        }

        return !any;
    }

    private static bool ConditionMatches(JsonObject condition, EvaluationContext context)
    {
        var left = condition["property"] is JsonValue property && property.TryGetValue<string>(out var path) ? context.Resolve(path) : null;
        var right = condition["value"];
        if (string.Equals((string?)condition["value_type"], "ref", StringComparison.Ordinal))
        {
            right = right is JsonValue reference && reference.TryGetValue<string>(out var refPath) ? context.Resolve(refPath) : null;
        }

        return Evaluate((string?)condition["operator"] ?? string.Empty, left, right);
    }

    private static bool EqualTo(JsonNode? left, JsonNode? right) =>
        left is null || right is null ? left is null && right is null : JsonViews.Compare(left, right) == 0;

    private static bool Ordered(JsonNode? left, JsonNode? right, Func<int, bool> accept) =>
        left is not null && right is not null && accept(JsonViews.Compare(left, right));

    private static bool Contains(JsonNode? left, JsonNode? right)
    {
        switch (left)
        {
            case null or JsonObject:
                return false;
            case JsonArray array:
                return right is not null && array.Any(element => EqualTo(JsonViews.IsNull(element) ? null : element, right));
            default:
                return right is not null && JsonViews.StringView(left)!.Contains(JsonViews.StringView(right)!, StringComparison.Ordinal);
        }
    }

    private static bool Affix(JsonNode? left, JsonNode? right, Func<string, string, bool> test) =>
        left is not null && right is not null && !JsonViews.IsContainer(left)
        && test(JsonViews.StringView(left)!, JsonViews.StringView(right)!);

    private static bool IsEmpty(JsonNode? left) => left switch
    {
        null => true,
        JsonArray array => array.Count == 0,
        JsonObject obj => obj.Count == 0,
        JsonValue value => value.GetValueKind() == System.Text.Json.JsonValueKind.String && value.GetValue<string>().Length == 0,
        _ => false,
    };
}
