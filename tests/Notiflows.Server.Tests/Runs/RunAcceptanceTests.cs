using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Runs;

/// <summary>Run acceptance (§6.5, §8.4.3): the 202 answers on both APIs and every path form, and the order of the checks.</summary>
public abstract class RunAcceptanceTests<TFixture>(TFixture fixture) : RunTestBase<TFixture>(fixture) where TFixture : HostFixture
{
    private const string Body = """{"recipients": ["u1"]}""";

    [Theory]
    [InlineData("/admin/v1")]
    [InlineData("/admin")]
    [InlineData("/api/admin/v1")]
    public async Task AdminRun_Returns202WithRunIdAndLocation(string basePath)
    {
        var p = await ProjectWithFlowAsync();

        var response = await Admin(p, HttpMethod.Post, $"{basePath}/notiflows/{Flow}/run", Body);

        var id = RunId(response);
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal([id], response.Body.Select(kv => (string)kv.Value!).ToList());
        Assert.Equal($"/admin/v1/runs/{id}", response.Header("Location"));
        var run = await RunView(p, id);
        Assert.Equal("admin_api", (string?)run["source"]);
        Assert.Null(run["triggered_by"]);
    }

    [Fact]
    public async Task AdminRun_ById_Returns202()
    {
        var p = await ProjectWithFlowAsync();
        var flowId = await NotiflowIdAsync(p);

        var id = RunId(await AdminRun(p, Body, handle: flowId.ToUpperInvariant()));

        Assert.Equal(flowId, (string?)(await RunView(p, id))["notiflow_id"]);
    }

    [Theory]
    [InlineData("/management/v1/projects/{slug}", false, false)]
    [InlineData("/management/v1", true, false)]
    [InlineData("/api/management/v1/projects/{slug}", false, true)]
    [InlineData("/api/management/v1", true, true)]
    public async Task ManagementRun_Returns202WithoutLocation_OnEveryPathForm_ByHandleAndById(string basePath, bool header, bool byId)
    {
        var p = await ProjectWithFlowAsync();
        var flow = byId ? await NotiflowIdAsync(p) : Flow;
        var headers = header ? new Dictionary<string, string> { ["x-notiflows-project"] = p.Slug } : null;

        var response = await Mgmt(HttpMethod.Post, $"{basePath.Replace("{slug}", p.Slug, StringComparison.Ordinal)}/notiflows/{flow}/run", Body, headers);

        var id = RunId(response);
        Assert.Null(response.Header("Location"));
        var run = await RunView(p, id);
        Assert.Equal("management_api", (string?)run["source"]);
        Assert.Equal("account_token", (string?)run["triggered_by"]!["type"]);
        Assert.False((bool)run["draft"]!);
    }

    [Fact]
    public async Task ManagementRun_Draft_PinsTheDraft()
    {
        var p = await ProjectWithFlowAsync();
        var draft = (await Mgmt(HttpMethod.Put, $"{p.Base}/notiflows/{Flow}", $$"""{"name": "v2", "steps": [{{Trigger}}, {{InApp("second", 1)}}, {{End(2)}}]}"""))
            .AssertStatus(200).Body;

        var id = RunId(await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/{Flow}/run", """{"recipients": ["u1"], "version": "draft"}"""));

        var run = await RunView(p, id);
        Assert.True((bool)run["draft"]!);
        Assert.Equal((string?)draft["current_version_id"], (string?)run["version_id"]);
    }

    // ---- §6.5 order of checks ----

    [Fact]
    public async Task Run_BadCredentials_WithInvalidJson_Returns401()
    {
        var p = await ProjectWithFlowAsync();

        var response = await SendAsync(Host.Admin(p.PublicKey, p.SecretKey + "x"), HttpMethod.Post, $"/admin/v1/notiflows/{Flow}/run", "{nope");

        response.AssertError(401, "unauthenticated");
    }

    [Fact]
    public async Task Run_UnknownNotiflow_WithInvalidBody_Returns404BeforeValidation()
    {
        var p = await ProjectWithFlowAsync();

        var error = (await AdminRun(p, """{"recipients": [], "topic": "a b"}""", handle: "missing")).AssertError(404, "not_found");

        Assert.Equal("notiflow", (string?)error["details"]!["resource"]);
        Assert.Equal("missing", (string?)error["details"]!["id"]);
        (await AdminRun(p, Body, handle: Guid.CreateVersion7().ToString())).AssertError(404, "not_found");
    }

    [Fact]
    public async Task Run_NotiflowOfAnotherProject_Returns404()
    {
        var p = await ProjectWithFlowAsync();
        var other = await ProjectWithFlowAsync();

        (await AdminRun(p, Body, handle: await NotiflowIdAsync(other))).AssertError(404, "not_found");
    }

    [Theory]
    [InlineData(Flow)]
    [InlineData("missing")]
    public async Task Run_BodyOver512KiB_Returns413BeforeLookup(string handle)
    {
        var p = await ProjectWithFlowAsync();
        var body = "{\"recipients\": [\"u1\"], \"data\": {\"pad\": \"" + new string('x', 512 * 1024) + "\"}}";

        var error = (await AdminRun(p, body, handle: handle)).AssertError(413, "payload_too_large");

        Assert.Equal(524288, (long)error["details"]!["limit"]!);
        Assert.Empty(await Runs(p));
        (await GetUser(p, "u1")).AssertError(404, "not_found");
    }

    [Fact]
    public async Task Run_BodyJustUnder512KiB_IsAccepted()
    {
        var p = await ProjectWithFlowAsync();
        const string prefix = "{\"recipients\": [\"u1\"], \"data\": {\"pad\": \"";
        var body = prefix + new string('x', 512 * 1024 - prefix.Length - 3) + "\"}}";
        Assert.Equal(512 * 1024, body.Length);

        RunId(await AdminRun(p, body));
    }

    [Fact]
    public async Task ManagementRun_BodyOver512KiB_Returns413()
    {
        var p = await ProjectWithFlowAsync();
        var body = "{\"recipients\": [\"u1\"], \"data\": {\"pad\": \"" + new string('x', 600 * 1024) + "\"}}";

        var error = (await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/{Flow}/run", body)).AssertError(413, "payload_too_large");

        Assert.Equal(524288, (long)error["details"]!["limit"]!);
    }

    [Theory]
    [InlineData(Flow, "{\"recipients\": [")]
    [InlineData(Flow, "[\"u1\"]")]
    [InlineData(Flow, "\"u1\"")]
    [InlineData("missing", "{nope")]
    public async Task Run_InvalidJson_Returns400BeforeLookup(string handle, string body)
    {
        var p = await ProjectWithFlowAsync();

        var error = (await AdminRun(p, body, handle: handle)).AssertError(400, "bad_request");

        Assert.Equal("invalid_json", (string?)error["details"]!["reason"]);
    }

    [Fact]
    public async Task Run_Archived_Returns409Archived_ButInvalidBodyFirst()
    {
        var p = await ProjectWithFlowAsync();
        (await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/{Flow}/archive")).AssertStatus(200);

        (await AdminRun(p, "{}")).AssertError(422, "validation_failed", "recipients", "required");
        var error = (await AdminRun(p, Body)).AssertError(409, "conflict");

        Assert.Equal("archived", (string?)error["details"]!["current_status"]);
        Assert.Empty(await Runs(p));
        (await GetUser(p, "u1")).AssertError(404, "not_found");
    }

    [Fact]
    public async Task Run_Inactive_Returns409Inactive()
    {
        var p = await ProjectWithFlowAsync();
        (await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/{Flow}/deactivate")).AssertStatus(200);

        var error = (await AdminRun(p, Body)).AssertError(409, "conflict");

        Assert.Equal("inactive", (string?)error["details"]!["current_status"]);
        Assert.Equal(["active"], error["details"]!["allowed_statuses"]!.AsArray().Select(s => (string)s!).ToList());
        (await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/{Flow}/run", """{"recipients": ["u1"], "version": "draft"}"""))
            .AssertError(409, "conflict");
        Assert.Empty(await Runs(p));
    }

    [Fact]
    public async Task Run_NeverPublished_Returns409Unpublished()
    {
        var p = await NewProjectAsync();
        (await Mgmt(HttpMethod.Put, $"{p.Base}/notiflows/{Flow}", $$"""{"name": "x", "steps": {{FlowSteps}}}""")).AssertStatus(201);

        var admin = (await AdminRun(p, Body)).AssertError(409, "conflict");
        var mgmt = (await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/{Flow}/run", Body)).AssertError(409, "conflict");

        foreach (var error in new[] { admin, mgmt })
        {
            Assert.Equal("unpublished", (string?)error["details"]!["current_status"]);
            Assert.Equal(["published"], error["details"]!["allowed_statuses"]!.AsArray().Select(s => (string)s!).ToList());
        }
        // A draft run of a never-published but valid notiflow is allowed (§8.4.3).
        RunId(await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/{Flow}/run", """{"recipients": ["u1"], "version": "draft"}"""));
    }

    [Fact]
    public async Task DraftRun_WithoutDraft_Returns409NoDraft()
    {
        var p = await ProjectWithFlowAsync();

        var error = (await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/{Flow}/run", """{"recipients": ["u1"], "version": "draft"}"""))
            .AssertError(409, "conflict");

        Assert.Equal("no_draft", (string?)error["details"]!["current_status"]);
        Assert.Empty(await Runs(p));
    }

    [Fact]
    public async Task DraftRun_InvalidDraft_Returns422WithPublishValidationField()
    {
        var p = await ProjectWithFlowAsync();
        const string email = """{"handle": "mail", "type": "channel", "channel_type": "email", "position": 1, "template": {"data": {"body": "Hi"}}}""";
        (await Mgmt(HttpMethod.Put, $"{p.Base}/notiflows/{Flow}", $$"""{"name": "x", "steps": [{{Trigger}}, {{email}}, {{End(2)}}]}""")).AssertStatus(200);

        (await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/{Flow}/run", """{"recipients": ["u1"], "version": "draft"}"""))
            .AssertError(422, "validation_failed", "steps[1].template.data.subject", "required");

        Assert.Empty(await Runs(p));
        (await GetUser(p, "u1")).AssertError(404, "not_found");
        // The published version still runs.
        RunId(await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/{Flow}/run", Body));
    }

    [Fact]
    public async Task ManagementRun_InvalidBody_BeatsNoDraft()
    {
        var p = await ProjectWithFlowAsync();

        (await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/{Flow}/run", """{"version": "draft"}"""))
            .AssertError(422, "validation_failed", "recipients", "required");
    }
}

public sealed class SqliteRunAcceptanceTests(SqliteFixture fixture) : RunAcceptanceTests<SqliteFixture>(fixture);

public sealed class PostgresRunAcceptanceTests(PostgresFixture fixture) : RunAcceptanceTests<PostgresFixture>(fixture);
