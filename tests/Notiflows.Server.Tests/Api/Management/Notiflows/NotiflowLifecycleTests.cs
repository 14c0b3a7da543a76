using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Management.Notiflows;

/// <summary>Publish, rollback (§8.4.2), activate/deactivate and archive/unarchive (§8.4, §13).</summary>
public abstract class NotiflowLifecycleTests<TFixture>(TFixture fixture) : NotiflowApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    [Fact]
    public async Task Publish_WithoutDraft_Returns200WithNoWarnings()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "flow", Flows.Steps(Flows.Email));
        var first = await PublishAsync(p, "flow");

        var again = await PublishAsync(p, "flow");

        Assert.Empty(again["warnings"]!.AsArray());
        first.Remove("warnings");
        again.Remove("warnings");
        Assert.True(JsonNode.DeepEquals(first, again), again.ToJsonString());
    }

    [Fact]
    public async Task Publish_Draft_PublishesItAndSetsPublishedFields()
    {
        var p = await NewProjectAsync();
        var created = await CreateFlowAsync(p, "flow", Flows.Steps(Flows.EmailWithTemplate()));
        Host.Time.Advance(TimeSpan.FromSeconds(90));

        var published = await PublishAsync(p, "flow");

        Assert.Empty(published["warnings"]!.AsArray());
        Assert.False((bool)published["has_unpublished_changes"]!);
        Assert.Equal((string?)created["current_version_id"], (string?)published["published_version_id"]);
        Assert.Equal((string?)published["current_version_id"], (string?)published["published_version_id"]);
        var version = published["published_version"]!;
        Assert.Equal("published", (string?)version["status"]);
        Assert.NotNull(version["published_at"]);
        Assert.NotEqual((string?)created["current_version"]!["inserted_at"], (string?)version["published_at"]);
        Assert.Equal((string?)version["created_by"], (string?)version["published_by"]);
        Assert.NotNull(version["published_by"]);
        Assert.True(JsonNode.DeepEquals(published["current_version"], version));
        var got = await GetFlowAsync(p, "flow");
        published.Remove("warnings");
        Assert.True(JsonNode.DeepEquals(published, got), got.ToJsonString());
    }

    [Fact]
    public async Task Publish_NewDraft_ArchivesThePreviouslyPublishedVersion()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "flow", Flows.Steps(Flows.Email));
        await PublishAsync(p, "flow");
        await UpdateStepsAsync(p, "flow", Flows.Steps(Flows.Sms));

        var second = await PublishAsync(p, "flow");

        Assert.Equal(2, (int)second["published_version"]!["version_number"]!);
        Assert.Equal([("steps[1].template", "no_template")],
            second["warnings"]!.AsArray().Select(w => ((string)w!["field"]!, (string)w["reason"]!)));
        var v1 = await GetVersionAsync(p, "flow", 1);
        Assert.Equal("archived", Flows.Status(v1));
        Assert.NotNull(v1["published_at"]);
    }

    [Fact]
    public async Task Publish_WithTemplateMissingSubject_Returns422AndChangesNothing()
    {
        var p = await NewProjectAsync();
        var created = await CreateFlowAsync(p, "flow", Flows.Steps(Flows.EmailWithTemplate(subject: "  ")));
        Assert.False((bool)created["current_version"]!["valid"]!);

        (await PostFlow(p, "flow", "publish")).AssertError(422, "validation_failed", "steps[1].template.data.subject", "required");

        var after = await GetFlowAsync(p, "flow");
        Assert.True(JsonNode.DeepEquals(created, after), after.ToJsonString());
    }

    [Fact]
    public async Task Publish_WithUnknownChannelHandle_Returns422()
    {
        var p = await NewProjectAsync();
        var created = await CreateFlowAsync(p, "flow",
            Flows.Steps("""{"handle": "email_1", "type": "channel", "channel_type": "email", "channel_handle": "missing"}"""));

        (await PostFlow(p, "flow", "publish")).AssertError(422, "validation_failed", "steps[1].channel_handle", "invalid");

        Assert.Null((await GetFlowAsync(p, "flow"))["published_version_id"]);
        Assert.Equal(Flows.Sha(created), Flows.Sha(await GetFlowAsync(p, "flow")));
    }

    [Fact]
    public async Task Publish_UnknownNotiflow_Returns404()
    {
        var p = await NewProjectAsync();

        (await PostFlow(p, "ghost", "publish")).AssertError(404, "not_found");
    }

    [Fact]
    public async Task Rollback_WithoutDraft_Returns200NoOp()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "flow");
        var published = await PublishAsync(p, "flow");

        var rolled = (await PostFlow(p, "flow", "rollback")).AssertStatus(200).Body;

        published.Remove("warnings");
        Assert.True(JsonNode.DeepEquals(published, rolled), rolled.ToJsonString());
    }

    [Fact]
    public async Task Rollback_NeverPublished_Returns409Unpublished()
    {
        var p = await NewProjectAsync();
        var created = await CreateFlowAsync(p, "flow");

        var error = (await PostFlow(p, "flow", "rollback")).AssertError(409, "conflict");

        Assert.Equal("unpublished", (string?)error["details"]!["current_status"]);
        var after = await GetFlowAsync(p, "flow");
        Assert.True(JsonNode.DeepEquals(created, after), after.ToJsonString());
    }

    [Fact]
    public async Task Rollback_WithDraft_ArchivesDraftAndReturnsToPublished()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "flow", Flows.Steps(Flows.Email));
        var published = await PublishAsync(p, "flow");
        await UpdateStepsAsync(p, "flow", Flows.Steps(Flows.Sms));

        var rolled = (await PostFlow(p, "flow", "rollback")).AssertStatus(200).Body;

        Assert.False((bool)rolled["has_unpublished_changes"]!);
        Assert.Equal((string?)published["published_version_id"], (string?)rolled["current_version_id"]);
        Assert.Equal((string?)published["published_version_id"], (string?)rolled["published_version_id"]);
        var draft = await GetVersionAsync(p, "flow", 2);
        Assert.Equal("archived", Flows.Status(draft));
        Assert.Null(draft["published_at"]);
        Assert.Equal(3, Flows.Number(await UpdateStepsAsync(p, "flow", Flows.Steps(Flows.Wait(1)))));
    }

    [Fact]
    public async Task ActivateAndDeactivate_AreIdempotent()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "flow");

        Assert.False((bool)(await PostFlow(p, "flow", "deactivate")).AssertStatus(200).Body["active"]!);
        Assert.False((bool)(await PostFlow(p, "flow", "deactivate")).AssertStatus(200).Body["active"]!);
        Assert.True((bool)(await PostFlow(p, "flow", "activate")).AssertStatus(200).Body["active"]!);
        Assert.True((bool)(await PostFlow(p, "flow", "activate")).AssertStatus(200).Body["active"]!);
        (await PostFlow(p, "ghost", "activate")).AssertError(404, "not_found");
    }

    [Fact]
    public async Task Archive_HidesFromListButGetStillWorks()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "flow");

        var archived = (await PostFlow(p, "flow", "archive")).AssertStatus(200).Body;

        Assert.Equal(Host.Time.GetUtcNow(), DateTimeOffset.Parse((string)archived["archived_at"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((string?)archived["archived_at"], (string?)(await GetFlowAsync(p, "flow"))["archived_at"]);
        var list = (await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows")).AssertStatus(200).Body;
        Assert.Empty(list["items"]!.AsArray());
        (await PostFlow(p, "flow", "archive")).AssertStatus(200);
    }

    [Theory]
    [InlineData("publish")]
    [InlineData("rollback")]
    [InlineData("activate")]
    [InlineData("deactivate")]
    [InlineData("upsert")]
    [InlineData("template")]
    public async Task Archived_RefusesChangesWith409Archived(string operation)
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "flow", Flows.Steps(Flows.Email));
        (await PostFlow(p, "flow", "archive")).AssertStatus(200);
        var before = await GetFlowAsync(p, "flow");

        var response = operation switch
        {
            "upsert" => await PutFlow(p, "flow", $$"""{"name": "New", "steps": {{Flows.Steps(Flows.Sms)}}}"""),
            "template" => await Mgmt(HttpMethod.Put, $"{p.Base}/notiflows/flow/steps/email_1/template", """{"data": {"subject": "S", "body": "B"}}"""),
            _ => await PostFlow(p, "flow", operation),
        };

        var error = response.AssertError(409, "conflict");
        Assert.Equal("archived", (string?)error["details"]!["current_status"]);
        var after = await GetFlowAsync(p, "flow");
        Assert.True(JsonNode.DeepEquals(before, after), after.ToJsonString());
    }

    [Fact]
    public async Task Archived_UpsertWithSchemaErrors_Returns422First()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "flow");
        (await PostFlow(p, "flow", "archive")).AssertStatus(200);

        (await PutFlow(p, "flow", """{"name": 5}""")).AssertError(422, "validation_failed", "name", "invalid");
    }

    [Fact]
    public async Task Unarchive_RestoresTheNotiflow()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "flow");
        (await PostFlow(p, "flow", "archive")).AssertStatus(200);

        var restored = (await PostFlow(p, "flow", "unarchive")).AssertStatus(200).Body;

        Assert.Null(restored["archived_at"]);
        var list = (await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows")).AssertStatus(200).Body;
        Assert.Single(list["items"]!.AsArray());
        (await PutFlow(p, "flow", """{"name": "Back"}""")).AssertStatus(200);
        await PublishAsync(p, "flow");
        (await PostFlow(p, "flow", "unarchive")).AssertStatus(200);
        (await PostFlow(p, "ghost", "unarchive")).AssertError(404, "not_found");
        (await PostFlow(p, "ghost", "archive")).AssertError(404, "not_found");
    }
}

public sealed class SqliteNotiflowLifecycleTests(SqliteFixture fixture) : NotiflowLifecycleTests<SqliteFixture>(fixture);

public sealed class PostgresNotiflowLifecycleTests(PostgresFixture fixture) : NotiflowLifecycleTests<PostgresFixture>(fixture);
