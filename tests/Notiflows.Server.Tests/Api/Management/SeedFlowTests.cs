using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Management;

/// <summary>The spec's normative seed walk-through (§8.4.4), with the hosted reference's request bodies sent verbatim.</summary>
public abstract class SeedFlowTests<TFixture>(TFixture fixture) : ApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    public const string UpsertBody = """
        {
          "name": "Welcome Series",
          "steps": [
            { "handle": "trigger", "position": 0, "type": "trigger" },
            { "channel_type": "email", "handle": "welcome_email", "name": "Welcome Email", "position": 1, "type": "channel" },
            { "handle": "wait_1", "name": "Wait 1 Day", "position": 2, "settings": { "duration": 1, "unit": "day" }, "type": "wait" },
            { "handle": "end", "position": 3, "type": "end" }
          ]
        }
        """;

    private const string ExpectedSteps = """
        [
          { "handle": "trigger", "type": "trigger", "position": 0, "name": null, "description": null, "parent_step_handle": null, "branch_handle": null, "channel_type": null, "channel_handle": null, "template": null, "settings": {}, "conditions": [], "provider_settings": {} },
          { "handle": "welcome_email", "type": "channel", "position": 1, "name": "Welcome Email", "description": null, "parent_step_handle": null, "branch_handle": null, "channel_type": "email", "channel_handle": null, "template": null, "settings": {}, "conditions": [], "provider_settings": {} },
          { "handle": "wait_1", "type": "wait", "position": 2, "name": "Wait 1 Day", "description": null, "parent_step_handle": null, "branch_handle": null, "channel_type": null, "channel_handle": null, "template": null, "settings": { "duration": 1, "duration_unit": "days" }, "conditions": [], "provider_settings": {} },
          { "handle": "end", "type": "end", "position": 3, "name": null, "description": null, "parent_step_handle": null, "branch_handle": null, "channel_type": null, "channel_handle": null, "template": null, "settings": {}, "conditions": [], "provider_settings": {} }
        ]
        """;

    [Fact]
    public async Task SeedWalkThrough_UpsertPublishTemplatePublish_MatchesTheSpec()
    {
        // 1. Upsert: 201 with the documented shape.
        var created = (await Mgmt(HttpMethod.Put, "/management/v1/notiflows/welcome-series", UpsertBody)).AssertStatus(201).Body;
        Assert.Equal(
            ["id", "handle", "name", "description", "active", "include_in_preferences", "has_unpublished_changes", "current_version_id",
             "published_version_id", "current_version", "published_version", "archived_at", "created_at", "updated_at"],
            created.Select(p => p.Key));
        Assert.Equal("welcome-series", (string?)created["handle"]);
        Assert.Equal("Welcome Series", (string?)created["name"]);
        Assert.Null(created["description"]);
        Assert.True((bool)created["active"]!);
        Assert.True((bool)created["include_in_preferences"]!);
        Assert.True((bool)created["has_unpublished_changes"]!);
        Assert.Null(created["published_version_id"]);
        Assert.Null(created["published_version"]);
        Assert.Null(created["archived_at"]);
        Assert.Equal("2026-01-15T10:30:00Z", (string?)created["created_at"]);
        var version = created["current_version"]!.AsObject();
        Assert.Equal(
            ["id", "notiflow_id", "version_number", "status", "sha", "valid", "steps", "published_at", "created_by", "published_by",
             "inserted_at", "updated_at"],
            version.Select(p => p.Key));
        Assert.Equal((string?)created["current_version_id"], (string?)version["id"]);
        Assert.Equal((string?)created["id"], (string?)version["notiflow_id"]);
        Assert.Equal(1, (int)version["version_number"]!);
        Assert.Equal("draft", (string?)version["status"]);
        Assert.Matches("^[0-9a-f]{64}$", (string?)version["sha"]);
        Assert.True((bool)version["valid"]!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ExpectedSteps), version["steps"]), version["steps"]!.ToJsonString());
        Assert.NotNull(version["created_by"]);
        Assert.Null(version["published_at"]);

        // The same PUT again: 200, no new version; GET returns the same object.
        var again = (await Mgmt(HttpMethod.Put, "/management/v1/notiflows/welcome-series", UpsertBody)).AssertStatus(200).Body;
        Assert.True(JsonNode.DeepEquals(created, again), again.ToJsonString());
        var got = (await Mgmt(HttpMethod.Get, "/management/v1/notiflows/welcome-series")).AssertStatus(200).Body;
        Assert.True(JsonNode.DeepEquals(created, got), got.ToJsonString());

        // Before publishing, the notiflow has no published version.
        // 2. Publish: 200 with the no_template warning; version 1 published, no draft.
        var published = (await Mgmt(HttpMethod.Post, "/management/v1/notiflows/welcome-series/publish")).AssertStatus(200).Body;
        Assert.False((bool)published["has_unpublished_changes"]!);
        Assert.Equal((string?)published["current_version_id"], (string?)published["published_version_id"]);
        Assert.Equal("published", (string?)published["current_version"]!["status"]);
        Assert.NotNull(published["current_version"]!["published_at"]);
        var warning = Assert.Single(published["warnings"]!.AsArray())!;
        Assert.Equal("steps[1].template", (string?)warning["field"]);
        Assert.Equal("no_template", (string?)warning["reason"]);
        Assert.Equal("channel step has no template; its deliveries will be skipped", (string?)warning["message"]);

        // 3. Template: 201, version 2 is a draft; publishing it archives version 1.
        var template = (await Mgmt(HttpMethod.Put, "/management/v1/notiflows/welcome-series/steps/welcome_email/template", """
            {
              "channel_type": "email",
              "data": {
                "subject": "Welcome, {{ recipient.first_name | default: 'there' }}!",
                "body": "<p>Thanks for signing up. Your reference: {{ data.order_id }}.</p>",
                "content_type": "html"
              }
            }
            """)).AssertStatus(201).Body;
        Assert.Equal("email", (string?)template["channel_type"]);
        Assert.Equal("html", (string?)template["data"]!["content_type"]);
        Assert.Matches("^[0-9a-f-]{36}$", (string?)template["id"]);
        var draft = (await Mgmt(HttpMethod.Get, "/management/v1/notiflows/welcome-series")).AssertStatus(200).Body;
        Assert.True((bool)draft["has_unpublished_changes"]!);
        Assert.Equal(2, (int)draft["current_version"]!["version_number"]!);
        Assert.Equal("draft", (string?)draft["current_version"]!["status"]);
        var second = (await Mgmt(HttpMethod.Post, "/management/v1/notiflows/welcome-series/publish")).AssertStatus(200).Body;
        Assert.Empty(second["warnings"]!.AsArray());
        Assert.Equal(2, (int)second["published_version"]!["version_number"]!);
        var v1 = (await Mgmt(HttpMethod.Get, "/management/v1/notiflows/welcome-series/versions/1")).AssertStatus(200).Body;
        Assert.Equal("archived", (string?)v1["status"]);

        // Sending the step-1 body again keeps the template and normalises unit: same sha, no new version.
        var resent = (await Mgmt(HttpMethod.Put, "/management/v1/notiflows/welcome-series", UpsertBody)).AssertStatus(200).Body;
        Assert.Equal((string?)second["current_version"]!["sha"], (string?)resent["current_version"]!["sha"]);
        Assert.False((bool)resent["has_unpublished_changes"]!);
        Assert.Equal(2, (int)resent["current_version"]!["version_number"]!);
        var versions = (await Mgmt(HttpMethod.Get, "/management/v1/notiflows/welcome-series/versions")).AssertStatus(200).Body;
        Assert.Equal([2, 1], versions["items"]!.AsArray().Select(v => (int)v!["version_number"]!));
    }
}

public sealed class SqliteSeedFlowTests(SqliteFixture fixture) : SeedFlowTests<SqliteFixture>(fixture);

public sealed class PostgresSeedFlowTests(PostgresFixture fixture) : SeedFlowTests<PostgresFixture>(fixture);
