using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Management.Notiflows;

/// <summary>Step templates (§8.6): read from the current version, copy-on-write replace.</summary>
public abstract class NotiflowTemplateTests<TFixture>(TFixture fixture) : NotiflowApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    private const string TemplateA = """{"data": {"subject": "A", "body": "<p>A</p>", "content_type": "html"}}""";
    private const string TemplateB = """{"channel_type": "email", "data": {"subject": "B", "body": "B"}}""";

    private Task<ApiResponse> PutTemplate(TestProject p, string step, string body, string handle = "flow") =>
        Mgmt(HttpMethod.Put, $"{p.Base}/notiflows/{handle}/steps/{step}/template", body);

    private Task<ApiResponse> GetTemplate(TestProject p, string step, string handle = "flow") =>
        Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/{handle}/steps/{step}/template");

    [Fact]
    public async Task PutTemplate_OnStepWithout_Returns201AndCreatesDraft()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "flow", Flows.Steps(Flows.Email));
        await PublishAsync(p, "flow");

        var template = (await PutTemplate(p, "email_1", TemplateB)).AssertStatus(201).Body;

        Assert.Equal(["id", "channel_type", "data"], template.Select(kv => kv.Key));
        Assert.Equal("email", (string?)template["channel_type"]);
        Assert.Equal("plaintext", (string?)template["data"]!["content_type"]);
        var flow = await GetFlowAsync(p, "flow");
        Assert.Equal(2, Flows.Number(flow));
        Assert.Equal("draft", (string?)flow["current_version"]!["status"]);
        Assert.True(JsonNode.DeepEquals(template, flow["current_version"]!["steps"]![1]!["template"]));
        Assert.Null(flow["published_version"]!["steps"]![1]!["template"]);
        var got = (await GetTemplate(p, "email_1")).AssertStatus(200).Body;
        Assert.True(JsonNode.DeepEquals(template, got), got.ToJsonString());
    }

    [Fact]
    public async Task PutTemplate_Replacing_Returns200AndArchivesPreviousDraft()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "flow", Flows.Steps(Flows.EmailWithTemplate()));

        var replaced = (await PutTemplate(p, "email_1", TemplateA)).AssertStatus(200).Body;

        Assert.Equal("A", (string?)replaced["data"]!["subject"]);
        Assert.Equal(2, Flows.Number(await GetFlowAsync(p, "flow")));
        Assert.Equal("archived", Flows.Status(await GetVersionAsync(p, "flow", 1)));
    }

    [Fact]
    public async Task PutTemplate_WithIdenticalContent_CreatesNoVersion()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "flow", Flows.Steps(Flows.Email));
        var first = (await PutTemplate(p, "email_1", TemplateA)).AssertStatus(201).Body;

        var again = (await PutTemplate(p, "email_1", """{"channel_type": "email", "data": {"body": "<p>A</p>", "content_type": "html", "subject": "A"}}"""))
            .AssertStatus(200).Body;

        Assert.True(JsonNode.DeepEquals(first, again), again.ToJsonString());
        Assert.Equal(2, Flows.Number(await GetFlowAsync(p, "flow")));
    }

    [Fact]
    public async Task PutTemplate_WithContentEqualToPublished_ArchivesDraftWithoutNewVersion()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "flow", Flows.Steps(Flows.Email));
        (await PutTemplate(p, "email_1", TemplateA)).AssertStatus(201);
        var published = await PublishAsync(p, "flow");
        (await PutTemplate(p, "email_1", TemplateB)).AssertStatus(200);

        (await PutTemplate(p, "email_1", TemplateA)).AssertStatus(200);

        var flow = await GetFlowAsync(p, "flow");
        Assert.False((bool)flow["has_unpublished_changes"]!);
        Assert.Equal((string?)published["published_version_id"], (string?)flow["current_version_id"]);
        Assert.Equal("archived", Flows.Status(await GetVersionAsync(p, "flow", 3)));
        (await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/flow/versions/4")).AssertError(404, "not_found");
    }

    [Theory]
    [InlineData("trigger")]
    [InlineData("wait_1")]
    public async Task PutTemplate_OnNonChannelStep_Returns422NotAllowed(string step)
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "flow", Flows.Steps(Flows.Wait(1)));

        var error = (await PutTemplate(p, step, TemplateA)).AssertError(422, "validation_failed");

        Assert.Equal("not_allowed", (string?)error["details"]!["fields"]![0]!["reason"]);
        Assert.Equal(1, Flows.Number(await GetFlowAsync(p, "flow")));
    }

    [Fact]
    public async Task PutTemplate_WithChannelTypeMismatch_Returns422Invalid()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "flow", Flows.Steps(Flows.Email));

        (await PutTemplate(p, "email_1", """{"channel_type": "sms", "data": {"body": "B"}}""")).AssertError(422, "validation_failed", "channel_type", "invalid");
        (await PutTemplate(p, "email_1", """{"data": {"subject": 1}}""")).AssertError(422, "validation_failed", "data.subject", "invalid");
        (await PutTemplate(p, "email_1", """{"data": "text"}""")).AssertError(422, "validation_failed", "data", "invalid");

        Assert.Equal(1, Flows.Number(await GetFlowAsync(p, "flow")));
    }

    [Fact]
    public async Task PutTemplate_WithBodyNotAnObject_Returns400()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "flow", Flows.Steps(Flows.Email));

        var error = (await PutTemplate(p, "email_1", "[]")).AssertError(400, "bad_request");

        Assert.Equal("invalid_json", (string?)error["details"]!["reason"]);
    }

    [Fact]
    public async Task Template_UnknownStep_Returns404Step()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "flow", Flows.Steps(Flows.Email));

        var put = (await PutTemplate(p, "nope", TemplateA)).AssertError(404, "not_found");
        var get = (await GetTemplate(p, "nope")).AssertError(404, "not_found");

        Assert.Equal("step", (string?)put["details"]!["resource"]);
        Assert.Equal("step", (string?)get["details"]!["resource"]);
        Assert.Equal("nope", (string?)get["details"]!["id"]);
    }

    [Fact]
    public async Task Template_UnknownNotiflow_Returns404Notiflow()
    {
        var p = await NewProjectAsync();

        var put = (await PutTemplate(p, "email_1", TemplateA, "ghost")).AssertError(404, "not_found");
        var get = (await GetTemplate(p, "email_1", "ghost")).AssertError(404, "not_found");

        Assert.Equal("notiflow", (string?)put["details"]!["resource"]);
        Assert.Equal("notiflow", (string?)get["details"]!["resource"]);
    }

    [Theory]
    [InlineData("email_1")]
    [InlineData("trigger")]
    public async Task GetTemplate_StepWithoutTemplate_Returns404Template(string step)
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "flow", Flows.Steps(Flows.Email));

        var error = (await GetTemplate(p, step)).AssertError(404, "not_found");

        Assert.Equal("template", (string?)error["details"]!["resource"]);
    }

    [Fact]
    public async Task Template_ByNotiflowId_Works()
    {
        var p = await NewProjectAsync();
        var created = await CreateFlowAsync(p, "flow", Flows.Steps(Flows.Email));

        (await PutTemplate(p, "email_1", TemplateA, (string)created["id"]!)).AssertStatus(201);
        (await GetTemplate(p, "email_1", (string)created["id"]!)).AssertStatus(200);
    }
}

public sealed class SqliteNotiflowTemplateTests(SqliteFixture fixture) : NotiflowTemplateTests<SqliteFixture>(fixture);

public sealed class PostgresNotiflowTemplateTests(PostgresFixture fixture) : NotiflowTemplateTests<PostgresFixture>(fixture);
