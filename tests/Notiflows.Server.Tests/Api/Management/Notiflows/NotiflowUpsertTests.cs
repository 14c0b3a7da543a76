using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Management.Notiflows;

/// <summary><c>GET</c> and <c>PUT /notiflows/{handle}</c> (§8.4, §8.4.1): create/update, versions by sha, expected_sha, template merge.</summary>
public abstract class NotiflowUpsertTests<TFixture>(TFixture fixture) : NotiflowApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    [Fact]
    public async Task Get_ByHandleAndById_ReturnsTheSameNotiflow()
    {
        var p = await NewProjectAsync();
        var created = await CreateFlowAsync(p, "welcome");
        var id = (string)created["id"]!;

        var byHandle = await GetFlowAsync(p, "welcome");
        var byId = await GetFlowAsync(p, id);
        var byUpperId = await GetFlowAsync(p, id.ToUpperInvariant());

        Assert.True(JsonNode.DeepEquals(created, byHandle), byHandle.ToJsonString());
        Assert.True(JsonNode.DeepEquals(created, byId), byId.ToJsonString());
        Assert.True(JsonNode.DeepEquals(created, byUpperId), byUpperId.ToJsonString());
    }

    [Fact]
    public async Task Get_UnknownHandle_Returns404Notiflow()
    {
        var p = await NewProjectAsync();

        var error = (await GetFlow(p, "nope")).AssertError(404, "not_found");

        Assert.Equal("notiflow", (string?)error["details"]!["resource"]);
        Assert.Equal("nope", (string?)error["details"]!["id"]);
        Assert.Equal("https://notiflows.com/docs/api/errors#not_found-404", (string?)error["type"]);
    }

    [Fact]
    public async Task Get_UnknownUuid_Returns404Notiflow()
    {
        var p = await NewProjectAsync();
        var id = Guid.CreateVersion7().ToString();

        var error = (await GetFlow(p, id)).AssertError(404, "not_found");

        Assert.Equal("notiflow", (string?)error["details"]!["resource"]);
    }

    [Fact]
    public async Task Get_NotiflowOfAnotherProject_Returns404()
    {
        var p = await NewProjectAsync();
        var other = await NewProjectAsync();
        var created = await CreateFlowAsync(other, "theirs");

        (await GetFlow(p, "theirs")).AssertError(404, "not_found");
        (await GetFlow(p, (string)created["id"]!)).AssertError(404, "not_found");
    }

    [Fact]
    public async Task Upsert_New_Returns201_ThenUpdate_Returns200()
    {
        var p = await NewProjectAsync();

        var created = await CreateFlowAsync(p, "welcome", name: "Welcome");
        var updated = (await PutFlow(p, "welcome", """{"name": "Welcome 2"}""")).AssertStatus(200).Body;

        Assert.Equal("Welcome", (string?)created["name"]);
        Assert.Equal("Welcome 2", (string?)updated["name"]);
        Assert.Equal((string?)created["id"], (string?)updated["id"]);
        Assert.Equal("welcome", (string?)updated["handle"]);
    }

    [Fact]
    public async Task Upsert_CreateWithoutSteps_HasTriggerAndEndDraft()
    {
        var p = await NewProjectAsync();

        var created = await CreateFlowAsync(p, "bare");

        var version = created["current_version"]!;
        Assert.Equal("draft", (string?)version["status"]);
        Assert.Equal(1, (int)version["version_number"]!);
        Assert.True((bool)version["valid"]!);
        Assert.Equal(["trigger:trigger:0", "end:end:1"],
            version["steps"]!.AsArray().Select(s => $"{s!["handle"]}:{s["type"]}:{s["position"]}"));
        Assert.True((bool)created["active"]!);
        Assert.True((bool)created["include_in_preferences"]!);
        Assert.True((bool)created["has_unpublished_changes"]!);
    }

    [Fact]
    public async Task Upsert_CreateWithoutName_Returns422NameRequired()
    {
        var p = await NewProjectAsync();

        (await PutFlow(p, "nameless", """{"steps": null}""")).AssertError(422, "validation_failed", "name", "required");
        (await PutFlow(p, "nameless", "")).AssertError(422, "validation_failed", "name", "required");

        (await GetFlow(p, "nameless")).AssertError(404, "not_found");
    }

    [Fact]
    public async Task Upsert_WithNameNull_Returns422Required()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "named", name: "Named");

        (await PutFlow(p, "named", """{"name": null}""")).AssertError(422, "validation_failed", "name", "required");

        Assert.Equal("Named", (string?)(await GetFlowAsync(p, "named"))["name"]);
    }

    [Fact]
    public async Task Upsert_WithEmptyBodyOnExisting_Returns200Unchanged()
    {
        var p = await NewProjectAsync();
        var created = await CreateFlowAsync(p, "same");

        var again = (await PutFlow(p, "same", "")).AssertStatus(200).Body;

        Assert.True(JsonNode.DeepEquals(created, again), again.ToJsonString());
    }

    [Fact]
    public async Task Upsert_WithBodyHandleDifferingFromPath_Returns422HandleInvalid()
    {
        var p = await NewProjectAsync();

        (await PutFlow(p, "path-handle", """{"name": "X", "handle": "other"}""")).AssertError(422, "validation_failed", "handle", "invalid");
        (await GetFlow(p, "path-handle")).AssertError(404, "not_found");
        (await PutFlow(p, "path-handle", """{"name": "X", "handle": "path-handle"}""")).AssertStatus(201);
    }

    [Theory]
    [InlineData("under_score")]
    [InlineData("Upper")]
    [InlineData("-leading")]
    [InlineData("trailing-")]
    [InlineData("double--dash")]
    public async Task Upsert_WithInvalidPathHandle_Returns422HandleFormat(string handle)
    {
        var p = await NewProjectAsync();

        (await PutFlow(p, handle, """{"name": "X"}""")).AssertError(422, "validation_failed", "handle", "format");

        var list = (await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows")).AssertStatus(200).Body;
        Assert.Empty(list["items"]!.AsArray());
    }

    [Fact]
    public async Task Upsert_WithHandleOf101Chars_Returns422HandleFormat()
    {
        var p = await NewProjectAsync();

        (await PutFlow(p, new string('a', 101), """{"name": "X"}""")).AssertError(422, "validation_failed", "handle", "format");
        (await PutFlow(p, new string('a', 100), """{"name": "X"}""")).AssertStatus(201);
    }

    [Fact]
    public async Task Upsert_WithUnknownUuidInPath_Returns404Notiflow()
    {
        var p = await NewProjectAsync();
        var id = Guid.CreateVersion7().ToString();

        var error = (await PutFlow(p, id, """{"name": "X"}""")).AssertError(404, "not_found");

        Assert.Equal("notiflow", (string?)error["details"]!["resource"]);
        Assert.Equal(id, (string?)error["details"]!["id"]);
    }

    [Fact]
    public async Task Upsert_ById_UpdatesTheNotiflow()
    {
        var p = await NewProjectAsync();
        var created = await CreateFlowAsync(p, "by-id");

        var updated = (await PutFlow(p, (string)created["id"]!, """{"name": "Renamed", "handle": "by-id"}""")).AssertStatus(200).Body;

        Assert.Equal("Renamed", (string?)updated["name"]);
        Assert.Equal("by-id", (string?)updated["handle"]);
    }

    [Fact]
    public async Task Upsert_WithIdenticalContent_KeepsTheVersion()
    {
        var p = await NewProjectAsync();
        var steps = Flows.Steps(Flows.Email, Flows.Wait(1, "day"));
        var created = await CreateFlowAsync(p, "same", steps);

        var again = await UpdateStepsAsync(p, "same", steps);
        var normalised = await UpdateStepsAsync(p, "same", Flows.Steps(Flows.Email, Flows.Wait(1, "DAYS")));

        Assert.Equal(Flows.Sha(created), Flows.Sha(again));
        Assert.Equal(Flows.Sha(created), Flows.Sha(normalised));
        Assert.Equal(1, Flows.Number(normalised));
        Assert.Equal((string?)created["updated_at"], (string?)normalised["updated_at"]);
    }

    [Fact]
    public async Task Upsert_WithAttributeOnlyChanges_CreatesNoVersion()
    {
        var p = await NewProjectAsync();
        var created = await CreateFlowAsync(p, "attrs", Flows.Steps(Flows.Email));
        Host.Time.Advance(TimeSpan.FromMinutes(1));

        var updated = (await PutFlow(p, "attrs", """
            {"name": "New name", "description": "About it", "active": false, "include_in_preferences": false}
            """)).AssertStatus(200).Body;

        Assert.Equal("New name", (string?)updated["name"]);
        Assert.Equal("About it", (string?)updated["description"]);
        Assert.False((bool)updated["active"]!);
        Assert.False((bool)updated["include_in_preferences"]!);
        Assert.Equal(Flows.Sha(created), Flows.Sha(updated));
        Assert.Equal((string?)created["current_version_id"], (string?)updated["current_version_id"]);
        Assert.NotEqual((string?)created["updated_at"], (string?)updated["updated_at"]);
        var versions = (await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/attrs/versions")).AssertStatus(200).Body;
        Assert.Single(versions["items"]!.AsArray());

        // Explicit null clears to the default; omitted keeps.
        var cleared = (await PutFlow(p, "attrs", """{"description": null, "active": null}""")).AssertStatus(200).Body;
        Assert.Null(cleared["description"]);
        Assert.True((bool)cleared["active"]!);
        Assert.False((bool)cleared["include_in_preferences"]!);
        Assert.Equal("New name", (string?)cleared["name"]);
    }

    [Fact]
    public async Task Upsert_WithChangedSteps_CreatesNextDraftAndArchivesPreviousDraft()
    {
        var p = await NewProjectAsync();
        var v1 = await CreateFlowAsync(p, "change", Flows.Steps(Flows.Email));

        var v2 = await UpdateStepsAsync(p, "change", Flows.Steps(Flows.Email, Flows.Wait(5)));

        Assert.Equal(2, Flows.Number(v2));
        Assert.Equal("draft", (string?)v2["current_version"]!["status"]);
        Assert.NotEqual(Flows.Sha(v1), Flows.Sha(v2));
        Assert.True((bool)v2["has_unpublished_changes"]!);
        Assert.Equal("archived", Flows.Status(await GetVersionAsync(p, "change", 1)));
        Assert.Equal("draft", Flows.Status(await GetVersionAsync(p, "change", 2)));
        Assert.NotNull(v2["current_version"]!["created_by"]);
    }

    [Fact]
    public async Task Upsert_WithChangedStepsAfterPublish_KeepsPublishedAndAddsDraft()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "pub", Flows.Steps(Flows.Email));
        var published = await PublishAsync(p, "pub");

        var changed = await UpdateStepsAsync(p, "pub", Flows.Steps(Flows.Sms));

        Assert.Equal(2, Flows.Number(changed));
        Assert.True((bool)changed["has_unpublished_changes"]!);
        Assert.Equal((string?)published["published_version_id"], (string?)changed["published_version_id"]);
        Assert.Equal("published", (string?)changed["published_version"]!["status"]);
        Assert.NotEqual((string?)changed["current_version_id"], (string?)changed["published_version_id"]);
    }

    [Fact]
    public async Task Upsert_WithStepsEqualToPublishedWhileDraftExists_ArchivesDraftWithoutNewVersion()
    {
        var p = await NewProjectAsync();
        var steps = Flows.Steps(Flows.Email);
        await CreateFlowAsync(p, "back", steps);
        var published = await PublishAsync(p, "back");
        await UpdateStepsAsync(p, "back", Flows.Steps(Flows.Sms));

        var back = await UpdateStepsAsync(p, "back", steps);

        Assert.False((bool)back["has_unpublished_changes"]!);
        Assert.Equal((string?)published["published_version_id"], (string?)back["current_version_id"]);
        Assert.Equal(1, Flows.Number(back));
        Assert.Equal("archived", Flows.Status(await GetVersionAsync(p, "back", 2)));
        (await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/back/versions/3")).AssertError(404, "not_found");

        // The next change continues the numbering.
        Assert.Equal(3, Flows.Number(await UpdateStepsAsync(p, "back", Flows.Steps(Flows.Wait(3)))));
    }

    [Fact]
    public async Task Upsert_WithExpectedShaMismatch_Returns409WithBothShas()
    {
        var p = await NewProjectAsync();
        var created = await CreateFlowAsync(p, "sha");
        var wrong = new string('0', 64);

        var error = (await PutFlow(p, "sha", $$"""{"name": "Other", "expected_sha": "{{wrong}}", "steps": {{Flows.Steps(Flows.Email)}}}"""))
            .AssertError(409, "conflict");

        Assert.Equal(wrong, (string?)error["details"]!["expected_sha"]);
        Assert.Equal(Flows.Sha(created), (string?)error["details"]!["current_sha"]);
        var unchanged = await GetFlowAsync(p, "sha");
        Assert.True(JsonNode.DeepEquals(created, unchanged), unchanged.ToJsonString());
    }

    [Fact]
    public async Task Upsert_WithExpectedShaNullOnExisting_Returns409()
    {
        var p = await NewProjectAsync();
        var created = await CreateFlowAsync(p, "sha-null");

        var error = (await PutFlow(p, "sha-null", """{"expected_sha": null, "name": "X"}""")).AssertError(409, "conflict");

        Assert.Null(error["details"]!["expected_sha"]);
        Assert.Equal(Flows.Sha(created), (string?)error["details"]!["current_sha"]);
    }

    [Fact]
    public async Task Upsert_WithMatchingExpectedSha_Succeeds()
    {
        var p = await NewProjectAsync();
        var created = await CreateFlowAsync(p, "sha-ok");

        var updated = (await PutFlow(p, "sha-ok", $$"""{"expected_sha": "{{Flows.Sha(created)}}", "steps": {{Flows.Steps(Flows.Email)}}}"""))
            .AssertStatus(200).Body;

        Assert.Equal(2, Flows.Number(updated));
    }

    [Fact]
    public async Task Upsert_WithExpectedShaOnNewNotiflow_Returns409WithCurrentShaNull()
    {
        var p = await NewProjectAsync();
        var sha = new string('a', 64);

        var error = (await PutFlow(p, "fresh", $$"""{"name": "X", "expected_sha": "{{sha}}"}""")).AssertError(409, "conflict");

        var details = error["details"]!.AsObject();
        Assert.Equal(sha, (string?)details["expected_sha"]);
        Assert.True(details.ContainsKey("current_sha"));
        Assert.Null(details["current_sha"]);
        (await GetFlow(p, "fresh")).AssertError(404, "not_found");
        (await PutFlow(p, "fresh", """{"name": "X", "expected_sha": null}""")).AssertStatus(201);
    }

    [Fact]
    public async Task Upsert_WithUnknownFields_IgnoresThem()
    {
        var p = await NewProjectAsync();

        var created = (await PutFlow(p, "extra", """{"name": "X", "colour": "blue", "id": "whatever"}""")).AssertStatus(201).Body;

        Assert.False(created.ContainsKey("colour"));
        Assert.NotEqual("whatever", (string?)created["id"]);
    }

    [Fact]
    public async Task Upsert_WithStepsOmittedOnUpdate_KeepsSteps()
    {
        var p = await NewProjectAsync();
        var created = await CreateFlowAsync(p, "keep", Flows.Steps(Flows.Email));

        var updated = (await PutFlow(p, "keep", """{"name": "Renamed"}""")).AssertStatus(200).Body;

        Assert.True(JsonNode.DeepEquals(created["current_version"], updated["current_version"]));
    }

    [Fact]
    public async Task Upsert_WithTemplateKeyOmitted_KeepsTheTemplate()
    {
        var p = await NewProjectAsync();
        var created = await CreateFlowAsync(p, "merge", Flows.Steps(Flows.EmailWithTemplate()));

        var resent = await UpdateStepsAsync(p, "merge", Flows.Steps(Flows.Email));

        Assert.Equal(Flows.Sha(created), Flows.Sha(resent));
        Assert.Equal(1, Flows.Number(resent));
        Assert.Equal("<p>Hello</p>", (string?)resent["current_version"]!["steps"]![1]!["template"]!["data"]!["body"]);
    }

    [Fact]
    public async Task Upsert_WithTemplateNull_RemovesTheTemplate()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "drop", Flows.Steps(Flows.EmailWithTemplate()));

        var removed = await UpdateStepsAsync(p, "drop",
            Flows.Steps("""{"handle": "email_1", "type": "channel", "channel_type": "email", "template": null}"""));

        Assert.Equal(2, Flows.Number(removed));
        Assert.Null(removed["current_version"]!["steps"]![1]!["template"]);
    }

    [Fact]
    public async Task Upsert_WithTemplateOmittedAndChannelTypeChanged_DoesNotKeepTheTemplate()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "retype", Flows.Steps(Flows.EmailWithTemplate()));

        var changed = await UpdateStepsAsync(p, "retype", Flows.Steps("""{"handle": "email_1", "type": "channel", "channel_type": "sms"}"""));

        Assert.Null(changed["current_version"]!["steps"]![1]!["template"]);
    }

    [Fact]
    public async Task Upsert_NormalisesStepsAndListsThemInCanonicalOrder()
    {
        var p = await NewProjectAsync();
        var steps = """
            [
              { "handle": "end", "type": "end", "position": 9 },
              { "handle": "plan_check", "type": "condition", "position": 1, "settings": { "branches": [
                  { "handle": "pro", "conditions": [ { "conditions": [ { "property": "data.plan", "operator": "equal_to", "value": "pro" } ] } ] },
                  { "handle": "default" } ] } },
              { "handle": "pro_sms", "type": "channel", "channel_type": "sms", "position": 0, "parent_step_handle": "plan_check", "branch_handle": "pro" },
              { "handle": "trigger", "type": "trigger", "position": 0 },
              { "handle": "wait_1", "type": "wait", "position": 4, "settings": { "duration": 2, "unit": "Hour" }, "channel_type": "email" }
            ]
            """;

        var created = await CreateFlowAsync(p, "canon", steps);

        var stored = created["current_version"]!["steps"]!.AsArray();
        Assert.Equal(["trigger", "plan_check", "pro_sms", "wait_1", "end"], stored.Select(s => (string)s!["handle"]!));
        Assert.True(JsonNode.DeepEquals(Flows.Obj("""{"duration": 2, "duration_unit": "hours"}"""), stored[3]!["settings"]),
            stored[3]!["settings"]!.ToJsonString());
        Assert.Null(stored[3]!["channel_type"]);
        var branch = stored[1]!["settings"]!["branches"]![0]!;
        Assert.Equal("pro", (string?)branch["name"]);
        Assert.False((bool)branch["finish"]!);
        var condition = branch["conditions"]![0]!;
        Assert.Equal("and", (string?)condition["operator"]);
        Assert.Equal("static", (string?)condition["conditions"]![0]!["value_type"]);
    }
}

public sealed class SqliteNotiflowUpsertTests(SqliteFixture fixture) : NotiflowUpsertTests<SqliteFixture>(fixture);

public sealed class PostgresNotiflowUpsertTests(PostgresFixture fixture) : NotiflowUpsertTests<PostgresFixture>(fixture);
