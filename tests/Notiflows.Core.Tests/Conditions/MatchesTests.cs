using System.Text.Json.Nodes;
using Notiflows.Core.Conditions;

namespace Notiflows.Core.Tests.Conditions;

public sealed class MatchesTests
{
    private static readonly EvaluationContext Context = ResolveTests.Context(
        """{"plan":"pro","priority":"low","amount":150,"threshold":"99.5","limit":200,"tags":["vip","beta"]}""",
        """{"email":"bob@acme.com","custom_fields":{"tier":"gold"}}""");

    private static JsonObject C(string property, string op, JsonNode? value, string valueType = "static") =>
        new() { ["property"] = property, ["operator"] = op, ["value"] = value, ["value_type"] = valueType };

    private static JsonObject Group(string op, params JsonObject[] conditions) =>
        new() { ["operator"] = op, ["conditions"] = new JsonArray([.. conditions]) };

    private static bool Matches(params JsonObject[] groups) => ConditionEvaluator.Matches(new JsonArray([.. groups.Select(g => g.DeepClone())]), Context);

    [Fact]
    public void Matches_Empty_IsTrue() => Assert.True(ConditionEvaluator.Matches([], Context));

    [Fact]
    public void Matches_SpecExample_SecondGroupMatchesByRef()
    {
        var groups = (JsonArray)JsonNode.Parse("""
            [
              { "operator": "and", "conditions": [
                  { "property": "data.plan", "operator": "equal_to", "value": "enterprise", "value_type": "static" },
                  { "property": "recipient.email", "operator": "ends_with", "value": "@acme.com", "value_type": "static" } ] },
              { "operator": "or", "conditions": [
                  { "property": "data.priority", "operator": "equal_to", "value": "high", "value_type": "static" },
                  { "property": "data.amount", "operator": "greater_than", "value": "data.threshold", "value_type": "ref" } ] }
            ]
            """)!;

        Assert.True(ConditionEvaluator.Matches(groups, Context));
    }

    [Fact]
    public void Matches_AndGroup_NeedsEveryCondition()
    {
        Assert.True(Matches(Group("and", C("plan", "equal_to", "pro"), C("recipient.tier", "equal_to", "gold"))));
        Assert.False(Matches(Group("and", C("plan", "equal_to", "pro"), C("recipient.tier", "equal_to", "silver"))));
    }

    [Fact]
    public void Matches_OrGroup_NeedsOneCondition()
    {
        Assert.True(Matches(Group("or", C("plan", "equal_to", "free"), C("tags", "contains", "vip"))));
        Assert.False(Matches(Group("or", C("plan", "equal_to", "free"), C("tags", "contains", "alpha"))));
    }

    [Fact]
    public void Matches_Groups_CombineWithOr()
    {
        var failing = Group("and", C("plan", "equal_to", "free"));
        var passing = Group("and", C("priority", "equal_to", "low"));
        Assert.True(Matches(failing, passing));
        Assert.False(Matches(failing, failing));
    }

    [Fact]
    public void Matches_RefValue_ResolvesAsPath()
    {
        Assert.True(Matches(Group("and", C("amount", "less_than", "data.limit", "ref"))));
        Assert.False(Matches(Group("and", C("amount", "greater_than", "limit", "ref"))));
        Assert.True(Matches(Group("and", C("missing", "equal_to", "data.also_missing", "ref"))));
        Assert.False(Matches(Group("and", C("amount", "equal_to", "data.limit", "ref"))));
    }

    [Fact]
    public void Matches_StaticValueThatLooksLikePath_IsLiteral() =>
        Assert.False(Matches(Group("and", C("amount", "equal_to", "data.amount"))));

    [Fact]
    public void Matches_MissingPropertyEqualToNull_IsTrue() =>
        Assert.True(Matches(Group("and", C("data.nothing", "equal_to", null))));
}
