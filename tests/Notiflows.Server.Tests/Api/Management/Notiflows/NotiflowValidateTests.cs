using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Management.Notiflows;

/// <summary><c>POST /notiflows/{handle}/validate</c> (§8.4): always 200 for an object body; nothing is saved.</summary>
public abstract class NotiflowValidateTests<TFixture>(TFixture fixture) : NotiflowApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    private static (string Field, string Reason)[] Fields(JsonNode? list) =>
        list!.AsArray().Select(e => ((string)e!["field"]!, (string)e["reason"]!)).ToArray();

    [Fact]
    public async Task Validate_WithoutSteps_ReportsTheCurrentVersion()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "check", Flows.Steps(Flows.Email));

        var report = (await PostFlow(p, "check", "validate")).AssertStatus(200).Body;

        Assert.Equal(["valid", "errors", "warnings"], report.Select(kv => kv.Key));
        Assert.True((bool)report["valid"]!);
        Assert.Empty(report["errors"]!.AsArray());
        Assert.Equal([("steps[1].template", "no_template")], Fields(report["warnings"]));
        Assert.Equal(3, report["warnings"]![0]!.AsObject().Count);
    }

    [Fact]
    public async Task Validate_WithoutStepsOnInvalidVersion_ReportsPublishErrors()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "check", Flows.Steps(Flows.EmailWithTemplate(subject: "")));

        var report = (await PostFlow(p, "check", "validate", "{}")).AssertStatus(200).Body;

        Assert.False((bool)report["valid"]!);
        Assert.Equal([("steps[1].template.data.subject", "required")], Fields(report["errors"]));
        Assert.Empty(report["warnings"]!.AsArray());
    }

    [Fact]
    public async Task Validate_WithStepsWithSchemaErrors_ListsThemInErrorsAndSavesNothing()
    {
        var p = await NewProjectAsync();
        var created = await CreateFlowAsync(p, "check");

        var report = (await PostFlow(p, "check", "validate", $$"""{"steps": {{Flows.Steps(Flows.Wait(0), """{"handle": "x", "type": "channel"}""")}}}"""))
            .AssertStatus(200).Body;

        Assert.False((bool)report["valid"]!);
        var errors = Fields(report["errors"]);
        Assert.Contains(("steps[1].settings.duration", "too_short"), errors);
        Assert.Contains(("steps[2].channel_type", "required"), errors);
        var after = await GetFlowAsync(p, "check");
        Assert.True(JsonNode.DeepEquals(created, after), after.ToJsonString());
    }

    [Fact]
    public async Task Validate_WithStepsWithPublishErrors_ListsThemInErrorsAndWarningsApart()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "check");
        var steps = Flows.Steps(
            """{"handle": "email_1", "type": "channel", "channel_type": "email", "channel_handle": "nowhere", "template": {"data": {"body": "B"}}}""",
            Flows.Sms);

        var report = (await PostFlow(p, "check", "validate", $$"""{"steps": {{steps}}}""")).AssertStatus(200).Body;

        Assert.False((bool)report["valid"]!);
        var errors = Fields(report["errors"]);
        Assert.Contains(("steps[1].channel_handle", "invalid"), errors);
        Assert.Contains(("steps[1].template.data.subject", "required"), errors);
        Assert.Equal([("steps[2].template", "no_template")], Fields(report["warnings"]));
        Assert.Equal(1, Flows.Number(await GetFlowAsync(p, "check")));
    }

    [Fact]
    public async Task Validate_WithStepsWithSchemaAndPublishErrors_ListsBothTogether()
    {
        var p = await NewProjectAsync();
        var steps = Flows.Steps(Flows.EmailWithTemplate(subject: ""), Flows.Wait(0));

        var report = (await PostFlow(p, "check", "validate", $$"""{"steps": {{steps}}}""")).AssertStatus(200).Body;

        Assert.False((bool)report["valid"]!);
        var errors = Fields(report["errors"]);
        Assert.Contains(("steps[2].settings.duration", "too_short"), errors);
        Assert.Contains(("steps[1].template.data.subject", "required"), errors);
    }

    [Fact]
    public async Task Validate_WithStepsOutOfOrder_NamesStepsByTheirIndexInTheBody()
    {
        var p = await NewProjectAsync();
        var steps = """
            [{"handle": "end", "type": "end", "position": 3}, {"handle": "sms_1", "type": "channel", "channel_type": "sms", "position": 2},
             {"handle": "trigger", "type": "trigger", "position": 0},
             {"handle": "email_1", "type": "channel", "channel_type": "email", "position": 1, "template": {"data": {"body": "B"}}}]
            """;

        var report = (await PostFlow(p, "check", "validate", $$"""{"steps": {{steps}}}""")).AssertStatus(200).Body;

        Assert.Equal([("steps[3].template.data.subject", "required")], Fields(report["errors"]));
        Assert.Equal([("steps[1].template", "no_template")], Fields(report["warnings"]));
    }

    [Fact]
    public async Task Validate_WithStepsOmittingTemplate_MergesTheCurrentTemplateAsUpsertWould()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "check", Flows.Steps(Flows.EmailWithTemplate()));

        var report = (await PostFlow(p, "check", "validate", $$"""{"steps": {{Flows.Steps(Flows.Email)}}}""")).AssertStatus(200).Body;

        Assert.True((bool)report["valid"]!);
        Assert.Empty(report["warnings"]!.AsArray());
    }

    [Fact]
    public async Task Validate_UnknownHandleWithoutSteps_Returns404()
    {
        var p = await NewProjectAsync();

        var error = (await PostFlow(p, "ghost", "validate", "{}")).AssertError(404, "not_found");

        Assert.Equal("notiflow", (string?)error["details"]!["resource"]);
    }

    [Fact]
    public async Task Validate_UnknownHandleWithSteps_ValidatesAsNewAndSavesNothing()
    {
        var p = await NewProjectAsync();

        var report = (await PostFlow(p, "ghost", "validate", $$"""{"steps": {{Flows.Steps(Flows.EmailWithTemplate())}}}""")).AssertStatus(200).Body;

        Assert.True((bool)report["valid"]!);
        Assert.Empty(report["errors"]!.AsArray());
        (await GetFlow(p, "ghost")).AssertError(404, "not_found");
    }

    [Fact]
    public async Task Validate_UnknownUuidWithSteps_Returns404()
    {
        var p = await NewProjectAsync();

        (await PostFlow(p, Guid.CreateVersion7().ToString(), "validate", $$"""{"steps": {{Flows.Steps()}}}""")).AssertError(404, "not_found");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"steps\"")]
    [InlineData("{\"steps\": ")]
    public async Task Validate_WithBodyNotAJsonObject_Returns400InvalidJson(string body)
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "check");

        var error = (await PostFlow(p, "check", "validate", body)).AssertError(400, "bad_request");

        Assert.Equal("invalid_json", (string?)error["details"]!["reason"]);
    }
}

public sealed class SqliteNotiflowValidateTests(SqliteFixture fixture) : NotiflowValidateTests<SqliteFixture>(fixture);

public sealed class PostgresNotiflowValidateTests(PostgresFixture fixture) : NotiflowValidateTests<PostgresFixture>(fixture);
