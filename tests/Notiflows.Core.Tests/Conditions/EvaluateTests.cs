using System.Text.Json.Nodes;
using Notiflows.Core.Conditions;

namespace Notiflows.Core.Tests.Conditions;

public sealed class EvaluateTests
{
    private static JsonNode? J(string json) => JsonNode.Parse(json);

    private static bool Eval(string op, string left, string right) => ConditionEvaluator.Evaluate(op, J(left), J(right));

    [Theory]
    [InlineData("\"5\"", "5.0", true)]
    [InlineData("5", "5", true)]
    [InlineData("\" 5 \"", "5", true)]
    [InlineData("true", "\"true\"", true)]
    [InlineData("false", "\"false\"", true)]
    [InlineData("true", "1", false)]
    [InlineData("\"pro\"", "\"pro\"", true)]
    [InlineData("\"Pro\"", "\"pro\"", false)]
    [InlineData("[1,2]", "[1,2]", true)]
    [InlineData("[1,2]", "[2,1]", false)]
    [InlineData("{\"a\":1}", "{\"a\":1}", true)]
    [InlineData("[\"a\"]", "\"[\\\"a\\\"]\"", true)]
    [InlineData("null", "null", true)]
    [InlineData("null", "0", false)]
    [InlineData("\"\"", "null", false)]
    [InlineData("\"1e2\"", "100", true)]
    [InlineData("\"abc\"", "\"abc \"", false)]
    public void Evaluate_EqualTo_FollowsComparisonRule(string left, string right, bool expected) =>
        Assert.Equal(expected, Eval("equal_to", left, right));

    [Fact]
    public void Evaluate_EqualTo_MissingAndNullBothMatchNull()
    {
        Assert.True(ConditionEvaluator.Evaluate("equal_to", null, null));
        Assert.True(ConditionEvaluator.Evaluate("equal_to", null, J("null")));
        Assert.False(ConditionEvaluator.Evaluate("not_equal_to", null, null));
        Assert.True(ConditionEvaluator.Evaluate("not_equal_to", null, J("\"x\"")));
    }

    [Theory]
    [InlineData("\"150\"", "\"99.5\"", true)]
    [InlineData("10", "9", true)]
    [InlineData("\"10\"", "\"9\"", true)]
    [InlineData("\"A10\"", "\"A9\"", false)]
    [InlineData("\"b\"", "\"a\"", true)]
    [InlineData("\"a\"", "\"B\"", true)]
    [InlineData("5", "5", false)]
    [InlineData("null", "1", false)]
    [InlineData("1", "null", false)]
    [InlineData("\"10\"", "\"abc\"", false)]
    [InlineData("true", "false", true)]
    public void Evaluate_GreaterThan_ComparesNumericStringsNumerically(string left, string right, bool expected) =>
        Assert.Equal(expected, Eval("greater_than", left, right));

    [Theory]
    [InlineData("less_than", "1", "2", true)]
    [InlineData("less_than", "\"A10\"", "\"A9\"", true)]
    [InlineData("less_than", "2", "2", false)]
    [InlineData("less_than", "null", "2", false)]
    [InlineData("greater_than_or_equal_to", "2", "\"2.0\"", true)]
    [InlineData("greater_than_or_equal_to", "1", "2", false)]
    [InlineData("greater_than_or_equal_to", "null", "null", false)]
    [InlineData("less_than_or_equal_to", "\"2\"", "2", true)]
    [InlineData("less_than_or_equal_to", "3", "2", false)]
    [InlineData("less_than_or_equal_to", "2", "null", false)]
    public void Evaluate_Ordering_NeedsBothSidesAndUsesComparisonRule(string op, string left, string right, bool expected) =>
        Assert.Equal(expected, Eval(op, left, right));

    [Theory]
    [InlineData("[\"vip\",\"beta\"]", "\"vip\"", true)]
    [InlineData("[\"vip\",\"beta\"]", "\"vi\"", false)]
    [InlineData("[1,2,3]", "\"2\"", true)]
    [InlineData("[true]", "\"true\"", true)]
    [InlineData("[null]", "null", false)]
    [InlineData("[[1]]", "[1]", true)]
    [InlineData("\"hello world\"", "\"lo w\"", true)]
    [InlineData("\"hello\"", "\"Hello\"", false)]
    [InlineData("12345", "\"234\"", true)]
    [InlineData("true", "\"ru\"", true)]
    [InlineData("{\"a\":\"vip\"}", "\"vip\"", false)]
    [InlineData("null", "\"x\"", false)]
    [InlineData("\"abc\"", "null", false)]
    [InlineData("\"abc\"", "\"\"", true)]
    public void Evaluate_Contains_IsMembershipForArraysAndSubstringOtherwise(string left, string right, bool expected)
    {
        Assert.Equal(expected, Eval("contains", left, right));
        Assert.Equal(!expected, Eval("does_not_contain", left, right));
    }

    [Theory]
    [InlineData("starts_with", "\"admin@acme.com\"", "\"admin\"", true)]
    [InlineData("starts_with", "\"admin@acme.com\"", "\"Admin\"", false)]
    [InlineData("starts_with", "12.5", "\"12\"", true)]
    [InlineData("starts_with", "[\"a\"]", "\"[\"", false)]
    [InlineData("starts_with", "null", "\"\"", false)]
    [InlineData("starts_with", "\"x\"", "null", false)]
    [InlineData("ends_with", "\"bob@acme.com\"", "\"@acme.com\"", true)]
    [InlineData("ends_with", "\"bob@acme.org\"", "\"@acme.com\"", false)]
    [InlineData("ends_with", "false", "\"se\"", true)]
    [InlineData("ends_with", "{\"a\":1}", "\"}\"", false)]
    public void Evaluate_StartsAndEndsWith_UseStringViews(string op, string left, string right, bool expected) =>
        Assert.Equal(expected, Eval(op, left, right));

    [Theory]
    [InlineData("null", true)]
    [InlineData("\"\"", true)]
    [InlineData("[]", true)]
    [InlineData("{}", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    [InlineData("\" \"", false)]
    [InlineData("[null]", false)]
    [InlineData("{\"a\":null}", false)]
    public void Evaluate_IsEmpty_OnlyNullEmptyStringArrayObject(string left, bool expected)
    {
        Assert.Equal(expected, Eval("is_empty", left, "\"ignored\""));
        Assert.Equal(!expected, Eval("is_not_empty", left, "null"));
    }

    [Fact]
    public void Evaluate_IsEmpty_MissingPropertyIsEmpty() => Assert.True(ConditionEvaluator.Evaluate("is_empty", null, null));

    [Fact]
    public void Evaluate_StringViewOfNumbers_IsShortestInvariantForm()
    {
        Assert.True(Eval("equal_to", "5.0", "\"5\""));
        Assert.True(Eval("contains", "2.50", "\"2.5\""));
        Assert.True(Eval("starts_with", "1e21", "\"1E+21\""));
        Assert.False(Eval("contains", "5.0", "\".0\""));
    }

    [Fact]
    public void Evaluate_JsonValuesBuiltFromClrValues_AreCoercedLikeParsedOnes()
    {
        Assert.True(ConditionEvaluator.Evaluate("equal_to", JsonValue.Create(5m), JsonValue.Create("5")));
        Assert.True(ConditionEvaluator.Evaluate("greater_than", JsonValue.Create(10L), JsonValue.Create(9.5)));
        Assert.True(ConditionEvaluator.Evaluate("equal_to", JsonValue.Create(true), JsonValue.Create("true")));
    }

    [Fact]
    public void Evaluate_UnknownOperator_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ConditionEvaluator.Evaluate("like", J("1"), J("1")));
}
