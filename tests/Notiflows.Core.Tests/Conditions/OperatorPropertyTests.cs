using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Notiflows.Core.Conditions;

namespace Notiflows.Core.Tests.Conditions;

public sealed class OperatorPropertyTests
{
    private static readonly Gen<JsonNode?> Scalar = Gen.OneOf(
        Gen.Constant<JsonNode?>(null),
        Gen.Constant<JsonNode?>(JsonValue.Create((string?)null)),
        Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Choose(-20, 20).Select(i => (JsonNode?)JsonValue.Create(i)),
        Gen.Choose(-2000, 2000).Select(i => (JsonNode?)JsonNode.Parse((i / 100m).ToString(System.Globalization.CultureInfo.InvariantCulture))),
        Gen.Elements("", " ", "5", "5.0", " 7 ", "A9", "A10", "true", "false", "vip", "[]", "{}", "é", "1e2")
            .Select(s => (JsonNode?)JsonValue.Create(s)));

    private static readonly Gen<JsonNode?> Values = Gen.Sized(Tree);

    private static Gen<JsonNode?> Tree(int size) => size <= 1
        ? Scalar
        : Gen.Frequency(
            (4, Scalar),
            (1, Tree(size / 3).ListOf().Select(items => (JsonNode?)new JsonArray([.. items.Select(Clone)]))),
            (1, Tree(size / 3).ListOf().Select(items =>
                (JsonNode?)new JsonObject(items.Select((item, i) => KeyValuePair.Create($"k{i % 3}", Clone(item))).DistinctBy(p => p.Key)))));

    private static JsonNode? Clone(JsonNode? node) => node?.DeepClone();

    private static readonly Arbitrary<(JsonNode?, JsonNode?)> Pairs = Values.Two().ToArbitrary();

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public Property Evaluate_NotEqualTo_IsNegationOfEqualTo() => Prop.ForAll(Pairs, pair =>
        ConditionEvaluator.Evaluate("not_equal_to", pair.Item1, pair.Item2) == !ConditionEvaluator.Evaluate("equal_to", pair.Item1, pair.Item2));

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public Property Evaluate_DoesNotContain_IsNegationOfContains() => Prop.ForAll(Pairs, pair =>
        ConditionEvaluator.Evaluate("does_not_contain", pair.Item1, pair.Item2) == !ConditionEvaluator.Evaluate("contains", pair.Item1, pair.Item2));

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public Property Evaluate_IsNotEmpty_IsNegationOfIsEmpty() => Prop.ForAll(Pairs, pair =>
        ConditionEvaluator.Evaluate("is_not_empty", pair.Item1, pair.Item2) == !ConditionEvaluator.Evaluate("is_empty", pair.Item1, pair.Item2));

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public Property Evaluate_EqualTo_IsSymmetric() => Prop.ForAll(Pairs, pair =>
        ConditionEvaluator.Evaluate("equal_to", pair.Item1, pair.Item2) == ConditionEvaluator.Evaluate("equal_to", pair.Item2, pair.Item1));

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public Property Evaluate_GreaterThanOrEqual_IsGreaterOrEqual() => Prop.ForAll(Pairs, pair =>
        ConditionEvaluator.Evaluate("greater_than_or_equal_to", pair.Item1, pair.Item2)
            == (ConditionEvaluator.Evaluate("greater_than", pair.Item1, pair.Item2)
                || (pair.Item1 is not null && pair.Item2 is not null && !IsJsonNull(pair.Item1) && !IsJsonNull(pair.Item2)
                    && ConditionEvaluator.Evaluate("equal_to", pair.Item1, pair.Item2))));

    private static bool IsJsonNull(JsonNode node) => node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Null;
}
