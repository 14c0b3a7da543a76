using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Engine;

/// <summary>
/// Every condition operator (§10.4), static and by reference, over every root (§10.2), through a condition step:
/// each row names the branch the engine must take ("yes" when the conditions match, else the default "no").
/// </summary>
public abstract class OperatorTests<TFixture>(TFixture fixture) : EngineTests<TFixture>(fixture) where TFixture : HostFixture
{
    private const string Data = """
        {"amount": 150, "threshold": "99.5", "low": 10, "plan": "pro", "same": "pro", "code": "A10", "code2": "A9",
         "tags": ["vip", "beta"], "tag": "vip", "text": "hello world", "prefix": "hello", "suffix": "world",
         "empty": "", "none": null, "list": [], "obj": {}, "zero": 0, "flag": false, "space": " "}
        """;

    private const string Recipient = """
        {"external_id": "u1", "email": "jane@acme.com", "first_name": "Jane", "custom_fields": {"plan": "enterprise", "seats": 12}}
        """;

    private const string Actor = """{"external_id": "boss", "first_name": "Al", "email": "al@corp.com"}""";

    [Theory]
    // equal_to / not_equal_to
    [InlineData("data.plan", "equal_to", "\"pro\"", "static", "yes")]
    [InlineData("data.plan", "equal_to", "\"basic\"", "static", "no")]
    [InlineData("data.amount", "equal_to", "\"150.0\"", "static", "yes")]
    [InlineData("data.plan", "equal_to", "\"data.same\"", "ref", "yes")]
    [InlineData("data.plan", "equal_to", "\"data.code\"", "ref", "no")]
    [InlineData("data.missing", "equal_to", "null", "static", "yes")]
    [InlineData("data.plan", "not_equal_to", "\"basic\"", "static", "yes")]
    [InlineData("data.plan", "not_equal_to", "\"pro\"", "static", "no")]
    [InlineData("data.plan", "not_equal_to", "\"data.code\"", "ref", "yes")]
    [InlineData("data.plan", "not_equal_to", "\"data.same\"", "ref", "no")]
    // greater_than / less_than / ≥ / ≤ (numeric when both sides are numeric, else ordinal strings)
    [InlineData("data.amount", "greater_than", "\"99.5\"", "static", "yes")]
    [InlineData("data.amount", "greater_than", "150", "static", "no")]
    [InlineData("data.amount", "greater_than", "\"data.threshold\"", "ref", "yes")]
    [InlineData("data.low", "greater_than", "\"data.threshold\"", "ref", "no")]
    [InlineData("data.code", "greater_than", "\"A9\"", "static", "no")]
    [InlineData("data.code2", "greater_than", "\"data.code\"", "ref", "yes")]
    [InlineData("data.low", "less_than", "11", "static", "yes")]
    [InlineData("data.low", "less_than", "10", "static", "no")]
    [InlineData("data.low", "less_than", "\"data.amount\"", "ref", "yes")]
    [InlineData("data.amount", "less_than", "\"data.low\"", "ref", "no")]
    [InlineData("data.amount", "greater_than_or_equal_to", "150", "static", "yes")]
    [InlineData("data.amount", "greater_than_or_equal_to", "151", "static", "no")]
    [InlineData("data.amount", "greater_than_or_equal_to", "\"data.amount\"", "ref", "yes")]
    [InlineData("data.low", "greater_than_or_equal_to", "\"data.amount\"", "ref", "no")]
    [InlineData("data.low", "less_than_or_equal_to", "10", "static", "yes")]
    [InlineData("data.low", "less_than_or_equal_to", "9.99", "static", "no")]
    [InlineData("data.low", "less_than_or_equal_to", "\"data.threshold\"", "ref", "yes")]
    [InlineData("data.amount", "less_than_or_equal_to", "\"data.threshold\"", "ref", "no")]
    [InlineData("data.missing", "greater_than", "0", "static", "no")]
    // contains / does_not_contain (array membership or substring)
    [InlineData("data.tags", "contains", "\"vip\"", "static", "yes")]
    [InlineData("data.tags", "contains", "\"vi\"", "static", "no")]
    [InlineData("data.tags", "contains", "\"data.tag\"", "ref", "yes")]
    [InlineData("data.text", "contains", "\"lo wo\"", "static", "yes")]
    [InlineData("data.text", "contains", "\"data.suffix\"", "ref", "yes")]
    [InlineData("data.text", "contains", "\"data.missing\"", "ref", "no")]
    [InlineData("data.tags", "does_not_contain", "\"alpha\"", "static", "yes")]
    [InlineData("data.tags", "does_not_contain", "\"beta\"", "static", "no")]
    [InlineData("data.text", "does_not_contain", "\"data.plan\"", "ref", "yes")]
    [InlineData("data.text", "does_not_contain", "\"data.prefix\"", "ref", "no")]
    // starts_with / ends_with
    [InlineData("data.text", "starts_with", "\"hello\"", "static", "yes")]
    [InlineData("data.text", "starts_with", "\"world\"", "static", "no")]
    [InlineData("data.text", "starts_with", "\"data.prefix\"", "ref", "yes")]
    [InlineData("data.text", "starts_with", "\"data.suffix\"", "ref", "no")]
    [InlineData("data.text", "ends_with", "\"world\"", "static", "yes")]
    [InlineData("data.text", "ends_with", "\"hello\"", "static", "no")]
    [InlineData("data.text", "ends_with", "\"data.suffix\"", "ref", "yes")]
    [InlineData("data.text", "ends_with", "\"data.prefix\"", "ref", "no")]
    [InlineData("data.tags", "starts_with", "\"[\"", "static", "no")]
    // is_empty / is_not_empty (value ignored, also when it is a reference)
    [InlineData("data.missing", "is_empty", "null", "static", "yes")]
    [InlineData("data.none", "is_empty", "null", "static", "yes")]
    [InlineData("data.empty", "is_empty", "null", "static", "yes")]
    [InlineData("data.list", "is_empty", "null", "static", "yes")]
    [InlineData("data.obj", "is_empty", "\"data.plan\"", "ref", "yes")]
    [InlineData("data.zero", "is_empty", "null", "static", "no")]
    [InlineData("data.flag", "is_empty", "null", "static", "no")]
    [InlineData("data.space", "is_empty", "\"data.missing\"", "ref", "no")]
    [InlineData("data.tags", "is_not_empty", "null", "static", "yes")]
    [InlineData("data.zero", "is_not_empty", "\"data.missing\"", "ref", "yes")]
    [InlineData("data.empty", "is_not_empty", "null", "static", "no")]
    [InlineData("data.missing", "is_not_empty", "\"data.plan\"", "ref", "no")]
    // other roots: recipient attributes, custom_fields and their fallback, actor, run, bare paths
    [InlineData("recipient.email", "ends_with", "\"@acme.com\"", "static", "yes")]
    [InlineData("recipient.first_name", "equal_to", "\"actor.first_name\"", "ref", "no")]
    [InlineData("recipient.custom_fields.plan", "equal_to", "\"enterprise\"", "static", "yes")]
    [InlineData("recipient.plan", "equal_to", "\"enterprise\"", "static", "yes")]
    [InlineData("recipient.seats", "greater_than", "\"data.low\"", "ref", "yes")]
    [InlineData("data.amount", "greater_than", "\"recipient.seats\"", "ref", "yes")]
    [InlineData("recipient.phone", "is_empty", "null", "static", "yes")]
    [InlineData("actor.first_name", "equal_to", "\"Al\"", "static", "yes")]
    [InlineData("actor.email", "starts_with", "\"al@\"", "static", "yes")]
    [InlineData("actor.external_id", "equal_to", "\"recipient.external_id\"", "ref", "no")]
    [InlineData("run.topic", "is_empty", "null", "static", "yes")]
    [InlineData("run.id", "is_not_empty", "null", "static", "yes")]
    [InlineData("plan", "equal_to", "\"pro\"", "static", "yes")]
    [InlineData("digest.total_items", "is_empty", "null", "static", "yes")]
    public async Task Operator_DecidesTheBranch(string property, string op, string value, string valueType, string expected)
    {
        var conditions = When(property, op, value, valueType);
        Assert.Equal(expected, await BranchTakenAsync(conditions));
    }

    [Theory]
    // and: all must match; or: any; groups combine with OR.
    [InlineData("and", """[{"property": "data.plan", "operator": "equal_to", "value": "pro"}, {"property": "data.amount", "operator": "greater_than", "value": 100}]""", "yes")]
    [InlineData("and", """[{"property": "data.plan", "operator": "equal_to", "value": "pro"}, {"property": "data.amount", "operator": "greater_than", "value": 200}]""", "no")]
    [InlineData("or", """[{"property": "data.plan", "operator": "equal_to", "value": "basic"}, {"property": "data.amount", "operator": "greater_than", "value": 100}]""", "yes")]
    [InlineData("or", """[{"property": "data.plan", "operator": "equal_to", "value": "basic"}, {"property": "data.amount", "operator": "greater_than", "value": 200}]""", "no")]
    public async Task Group_AndOr_CombineTheirConditions(string op, string conditions, string expected) =>
        Assert.Equal(expected, await BranchTakenAsync($$"""[{"operator": "{{op}}", "conditions": {{conditions}}}]"""));

    [Theory]
    [InlineData("basic", 50, "no")]
    [InlineData("pro", 50, "yes")]
    [InlineData("basic", 500, "yes")]
    public async Task Groups_CombineWithOr(string plan, int amount, string expected)
    {
        var conditions = """
            [{"conditions": [{"property": "data.plan", "operator": "equal_to", "value": "pro"}]},
             {"operator": "and", "conditions": [{"property": "data.amount", "operator": "greater_than", "value": "data.threshold", "value_type": "ref"},
                                               {"property": "recipient.plan", "operator": "equal_to", "value": "enterprise"}]}]
            """;
        Assert.Equal(expected, await BranchTakenAsync(conditions, $$"""{"plan": "{{plan}}", "amount": {{amount}}, "threshold": 100}"""));
    }

    [Fact]
    public async Task RunTopic_IsVisibleToConditions()
    {
        var project = await NewProjectAsync();
        (await Admin(project, HttpMethod.Put, "/admin/v1/users/u1", """{"first_name": "Jane"}""")).AssertStatus(201);
        (await Admin(project, HttpMethod.Post, "/admin/v1/users/u1/subscriptions", """{"topic_name": "deploys"}""")).AssertStatus(201);
        await PublishAsync(project, "topical", Flow(When("run.topic", "starts_with", "\"dep\"")));
        Host.Time.Advance(TimeSpan.FromSeconds(1));
        var runId = await RunAsync(project, "topical", """{"topic": "deploys"}""");
        await Host.DrainAsync();
        var n = await OnlyNotification(project, runId);
        Assert.Equal("yes", (string?)StepExecution(n, "check")["branch_handle"]);
    }

    private async Task<string> BranchTakenAsync(string conditions, string data = Data)
    {
        var project = await PublishAsync(await NewProjectAsync(), "op", Flow(conditions));
        var n = await RunOneAsync(project, "op", data, Recipient, Actor);
        Assert.Equal("processed", (string?)n["status"]);
        return (string)StepExecution(n, "check")["branch_handle"]!;
    }

    private static string Flow(string conditions) => Steps(Trigger,
        Condition("check", 1, "", Branch("yes", conditions), Branch("no", null)),
        End(2));
}

public sealed class SqliteOperatorTests(SqliteFixture fixture) : OperatorTests<SqliteFixture>(fixture);

public sealed class PostgresOperatorTests(PostgresFixture fixture) : OperatorTests<PostgresFixture>(fixture);
