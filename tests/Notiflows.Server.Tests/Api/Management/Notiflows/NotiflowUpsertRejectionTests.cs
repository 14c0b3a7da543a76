using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Management.Notiflows;

/// <summary>
/// The table of bad upsert bodies (§4.1, §9.5): each row names the exact status, code, field path and reason, and nothing
/// may be saved — neither a new notiflow nor a new version of an existing one.
/// </summary>
public abstract class NotiflowUpsertRejectionTests<TFixture>(TFixture fixture) : NotiflowApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    /// <summary>Rows: label, body, status, code, field (422) or details.reason (400), reason (422).</summary>
    public static TheoryData<string, string, int, string, string, string?> Rows()
    {
        var data = new TheoryData<string, string, int, string, string, string?>();
        void Bad(string label, string body, string field, string reason) => data.Add(label, body, 422, "validation_failed", field, reason);
        void Json(string label, string body) => data.Add(label, body, 400, "bad_request", "invalid_json", null);
        string WithSteps(params string[] middle) => Flows.Body("X", Flows.Steps(middle));
        string Raw(string steps) => Flows.Body("X", steps);

        Json("malformed json", """{"name": "X",""");
        Json("top-level array", """[{"name": "X"}]""");
        Json("top-level string", "\"X\"");
        Json("top-level null", "null");
        Bad("name is a number", """{"name": 5}""", "name", "invalid");
        Bad("name is empty", """{"name": ""}""", "name", "too_short");
        Bad("name too long", $$"""{"name": "{{new string('n', 256)}}"}""", "name", "too_long");
        Bad("description too long", $$"""{"name": "X", "description": "{{new string('d', 2001)}}"}""", "description", "too_long");
        Bad("active is a string", """{"name": "X", "active": "yes"}""", "active", "invalid");
        Bad("include_in_preferences is a number", """{"name": "X", "include_in_preferences": 1}""", "include_in_preferences", "invalid");
        Bad("steps is an object", """{"name": "X", "steps": {}}""", "steps", "invalid");
        Bad("expected_sha is a number", """{"name": "X", "expected_sha": 12}""", "expected_sha", "invalid");
        Bad("step is not an object", Raw("""[{"handle": "trigger", "type": "trigger", "position": 0}, 7, {"handle": "end", "type": "end", "position": 1}]"""),
            "steps[1]", "invalid");
        Bad("step handle with dash", WithSteps("""{"handle": "bad-handle", "type": "channel", "channel_type": "email"}"""), "steps[1].handle", "format");
        Bad("step handle uppercase", WithSteps("""{"handle": "Email", "type": "channel", "channel_type": "email"}"""), "steps[1].handle", "format");
        Bad("step handle too long", WithSteps($$"""{"handle": "{{new string('h', 65)}}", "type": "wait", "settings": {"duration": 1, "unit": "day"} }"""),
            "steps[1].handle", "format");
        Bad("step handle missing", WithSteps("""{"type": "channel", "channel_type": "email"}"""), "steps[1].handle", "required");
        Bad("duplicate step handle", WithSteps(Flows.Email, Flows.Email), "steps[2].handle", "taken");
        Bad("unknown step type", WithSteps("""{"handle": "odd", "type": "teleport"}"""), "steps[1].type", "invalid");
        Bad("missing trigger", Raw("""[{"handle": "end", "type": "end", "position": 0}]"""), "steps", "required");
        Bad("missing end", Raw("""[{"handle": "trigger", "type": "trigger", "position": 0}]"""), "steps", "required");
        Bad("two triggers", Raw("""
            [{"handle": "trigger", "type": "trigger", "position": 0}, {"handle": "trigger_2", "type": "trigger", "position": 1},
             {"handle": "end", "type": "end", "position": 2}]
            """), "steps", "invalid");
        Bad("trigger not at 0", Raw("""[{"handle": "trigger", "type": "trigger", "position": 1}, {"handle": "end", "type": "end", "position": 2}]"""),
            "steps", "invalid");
        Bad("end not last", Raw("""
            [{"handle": "trigger", "type": "trigger", "position": 0}, {"handle": "end", "type": "end", "position": 1},
             {"handle": "email_1", "type": "channel", "channel_type": "email", "position": 2}]
            """), "steps", "invalid");
        Bad("duplicate position", Raw("""
            [{"handle": "trigger", "type": "trigger", "position": 0}, {"handle": "email_1", "type": "channel", "channel_type": "email", "position": 1},
             {"handle": "sms_1", "type": "channel", "channel_type": "sms", "position": 1}, {"handle": "end", "type": "end", "position": 2}]
            """), "steps[2].position", "taken");
        Bad("negative position", WithSteps("""{"handle": "email_1", "type": "channel", "channel_type": "email", "position": -1}"""),
            "steps[1].position", "invalid");
        Bad("fractional position", WithSteps("""{"handle": "email_1", "type": "channel", "channel_type": "email", "position": 1.5}"""),
            "steps[1].position", "invalid");
        Bad("wait without unit", WithSteps("""{"handle": "wait_1", "type": "wait", "settings": {"duration": 5}}"""),
            "steps[1].settings.duration_unit", "required");
        Bad("wait with unknown unit", WithSteps(Flows.Wait(5, "fortnight")), "steps[1].settings.unit", "invalid");
        Bad("wait with unknown duration_unit", WithSteps("""{"handle": "wait_1", "type": "wait", "settings": {"duration": 5, "duration_unit": "weeks"} }"""),
            "steps[1].settings.duration_unit", "invalid");
        Bad("wait duration 0", WithSteps(Flows.Wait(0)), "steps[1].settings.duration", "too_short");
        Bad("wait duration string", WithSteps("""{"handle": "wait_1", "type": "wait", "settings": {"duration": "5", "unit": "day"}}"""),
            "steps[1].settings.duration", "invalid");
        Bad("wait 366 days", WithSteps(Flows.Wait(366, "days")), "steps[1].settings.duration", "too_long");
        Bad("wait 8761 hours", WithSteps(Flows.Wait(8761, "hours")), "steps[1].settings.duration", "too_long");
        Bad("digest without duration", WithSteps("""{"handle": "digest_1", "type": "digest", "settings": {"unit": "hours"}}"""),
            "steps[1].settings.duration", "required");
        Bad("one branch", WithSteps(Condition(Branches(1))), "steps[1].settings.branches", "too_short");
        Bad("eleven branches", WithSteps(Condition(Branches(11))), "steps[1].settings.branches", "too_many");
        Bad("two default branches", WithSteps(Condition("""[{"handle": "a"}, {"handle": "b", "conditions": []}]""")),
            "steps[1].settings.branches", "not_allowed");
        Bad("all branches finish", WithSteps(Condition($$"""[{"handle": "a", "finish": true, "conditions": {{Group}}}, {"handle": "b", "finish": true}]""")),
            "steps[1].settings.branches", "invalid");
        Bad("duplicate branch handle", WithSteps(Condition($$"""[{"handle": "a", "conditions": {{Group}}}, {"handle": "a"}]""")),
            "steps[1].settings.branches[1].handle", "taken");
        Bad("branch handle format", WithSteps(Condition($$"""[{"handle": "A B", "conditions": {{Group}}}, {"handle": "b"}]""")),
            "steps[1].settings.branches[0].handle", "format");
        Bad("nesting 6 levels", Raw(Nested(6)), "steps[6].parent_step_handle", "too_many");
        Bad("parent without branch", WithSteps(Condition(Branches(2)),
                """{"handle": "child", "type": "channel", "channel_type": "sms", "position": 0, "parent_step_handle": "check"}"""),
            "steps[2].branch_handle", "invalid");
        Bad("unknown branch", WithSteps(Condition(Branches(2)),
                """{"handle": "child", "type": "channel", "channel_type": "sms", "position": 0, "parent_step_handle": "check", "branch_handle": "zz"}"""),
            "steps[2].branch_handle", "invalid");
        Bad("parent is not a condition", WithSteps(Flows.Email,
                """{"handle": "child", "type": "channel", "channel_type": "sms", "position": 0, "parent_step_handle": "email_1", "branch_handle": "b0"}"""),
            "steps[2].parent_step_handle", "invalid");
        Bad("trigger in a branch", WithSteps(Condition(Branches(2)),
                """{"handle": "trigger_2", "type": "trigger", "position": 0, "parent_step_handle": "check", "branch_handle": "b0"}"""),
            "steps", "invalid");
        Bad("end in a branch not last", WithSteps(Condition(Branches(2)),
                """{"handle": "stop", "type": "end", "position": 0, "parent_step_handle": "check", "branch_handle": "b0"}""",
                """{"handle": "after", "type": "channel", "channel_type": "sms", "position": 1, "parent_step_handle": "check", "branch_handle": "b0"}"""),
            "steps[2].position", "invalid");
        Bad("conditions on trigger", Raw($$"""
            [{"handle": "trigger", "type": "trigger", "position": 0, "conditions": {{Group}}}, {"handle": "end", "type": "end", "position": 1}]
            """), "steps[0].conditions", "not_allowed");
        Bad("conditions on end", Raw($$"""
            [{"handle": "trigger", "type": "trigger", "position": 0}, {"handle": "end", "type": "end", "position": 1, "conditions": {{Group}}}]
            """), "steps[1].conditions", "not_allowed");
        Bad("26 conditions in a group", WithSteps(Gated(Conditions(26))), "steps[1].conditions[0].conditions", "too_many");
        Bad("empty condition group", WithSteps(Gated("""[{"operator": "and", "conditions": []}]""")), "steps[1].conditions[0].conditions", "too_short");
        Bad("11 condition groups", WithSteps(Gated(new JsonArray(Enumerable.Range(0, 11).Select(_ => JsonNode.Parse(Group)![0]!.DeepClone()).ToArray())
            .ToJsonString())), "steps[1].conditions", "too_many");
        Bad("bad operator", WithSteps(Gated("""[{"conditions": [{"property": "data.a", "operator": "roughly", "value": "1"}]}]""")),
            "steps[1].conditions[0].conditions[0].operator", "invalid");
        Bad("bad group operator", WithSteps(Gated("""[{"operator": "xor", "conditions": [{"property": "data.a", "operator": "equal_to"}]}]""")),
            "steps[1].conditions[0].operator", "invalid");
        Bad("condition value is an array", WithSteps(Gated("""[{"conditions": [{"property": "data.a", "operator": "equal_to", "value": [1]}]}]""")),
            "steps[1].conditions[0].conditions[0].value", "invalid");
        Bad("ref value not a string", WithSteps(Gated("""[{"conditions": [{"property": "data.a", "operator": "equal_to", "value": 3, "value_type": "ref"}]}]""")),
            "steps[1].conditions[0].conditions[0].value", "invalid");
        Bad("condition without property", WithSteps(Gated("""[{"conditions": [{"operator": "equal_to", "value": 3}]}]""")),
            "steps[1].conditions[0].conditions[0].property", "required");
        Bad("channel step without channel_type", WithSteps("""{"handle": "email_1", "type": "channel"}"""), "steps[1].channel_type", "required");
        Bad("unknown channel_type", WithSteps("""{"handle": "fax_1", "type": "channel", "channel_type": "fax"}"""), "steps[1].channel_type", "invalid");
        Bad("template channel_type mismatch", WithSteps("""
            {"handle": "email_1", "type": "channel", "channel_type": "email", "template": {"channel_type": "sms", "data": {"body": "Hi"}}}
            """), "steps[1].template.channel_type", "invalid");
        Bad("template content_type unknown", WithSteps("""
            {"handle": "email_1", "type": "channel", "channel_type": "email", "template": {"data": {"subject": "S", "body": "B", "content_type": "pdf"}}}
            """), "steps[1].template.data.content_type", "invalid");
        Bad("template data field not a string", WithSteps("""
            {"handle": "email_1", "type": "channel", "channel_type": "email", "template": {"data": {"subject": 5, "body": "B"}}}
            """), "steps[1].template.data.subject", "invalid");
        Bad("provider_settings with a secret", WithSteps("""
            {"handle": "email_1", "type": "channel", "channel_type": "email", "provider_settings": {"from_email": "a@b.c", "api_key": "sk"}}
            """), "steps[1].provider_settings.api_key", "not_allowed");
        Bad("201 steps", Raw(ManySteps(201)), "steps", "too_many");
        return data;
    }

    private const string Group = """[{"conditions": [{"property": "data.plan", "operator": "equal_to", "value": "pro"}]}]""";

    private static string Condition(string branches, string handle = "check") =>
        $$"""{"handle": "{{handle}}", "type": "condition", "settings": {"branches": {{branches}}} }""";

    private static string Branches(int count) =>
        new JsonArray(Enumerable.Range(0, count)
            .Select(i => (JsonNode)Flows.Obj(i == count - 1 ? $$"""{"handle": "b{{i}}"}""" : $$"""{"handle": "b{{i}}", "conditions": {{Group}}}"""))
            .ToArray()).ToJsonString();

    private static string Gated(string conditions) =>
        $$"""{"handle": "email_1", "type": "channel", "channel_type": "email", "conditions": {{conditions}}}""";

    private static string Conditions(int count) =>
        $$"""[{"conditions": [{{string.Join(", ", Enumerable.Range(0, count).Select(i => $$"""{"property": "data.p{{i}}", "operator": "is_empty"}"""))}}]}]""";

    /// <summary>Condition steps nested <paramref name="depth"/> levels: steps[k] is level k (k = 1…depth).</summary>
    private static string Nested(int depth)
    {
        var steps = new JsonArray { Flows.Obj("""{"handle": "trigger", "type": "trigger", "position": 0}""") };
        for (var level = 1; level <= depth; level++)
        {
            var step = Flows.Obj(Condition(Branches(2), $"c{level}"));
            step["position"] = level == 1 ? 1 : 0;
            if (level > 1)
            {
                step["parent_step_handle"] = $"c{level - 1}";
                step["branch_handle"] = "b0";
            }
            steps.Add(step);
        }
        steps.Add(Flows.Obj("""{"handle": "end", "type": "end", "position": 2}"""));
        return steps.ToJsonString();
    }

    private static string ManySteps(int total) =>
        Flows.Steps(Enumerable.Range(1, total - 2).Select(i => $$"""{"handle": "w{{i}}", "type": "wait", "settings": {"duration": 1, "unit": "second"} }""")
            .ToArray());

    private static void AssertRejected(ApiResponse response, int status, string code, string fieldOrReason, string? reason)
    {
        if (status == 400)
        {
            var error = response.AssertError(status, code);
            Assert.Equal(fieldOrReason, (string?)error["details"]!["reason"]);
        }
        else
        {
            response.AssertError(status, code, fieldOrReason, reason);
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Upsert_New_WithBadBody_IsRejectedAndNothingIsSaved(string label, string body, int status, string code, string field, string? reason)
    {
        Assert.NotEmpty(label);
        var p = await NewProjectAsync();

        AssertRejected(await PutFlow(p, "flow", body), status, code, field, reason);

        (await GetFlow(p, "flow")).AssertError(404, "not_found");
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Upsert_Existing_WithBadBody_IsRejectedAndNothingChanges(string label, string body, int status, string code, string field, string? reason)
    {
        Assert.NotEmpty(label);
        var p = await NewProjectAsync();
        var before = await CreateFlowAsync(p, "flow", Flows.Steps(Flows.Email), name: "Before");

        AssertRejected(await PutFlow(p, "flow", body), status, code, field, reason);

        var after = await GetFlowAsync(p, "flow");
        Assert.True(JsonNode.DeepEquals(before, after), after.ToJsonString());
    }

    [Fact]
    public async Task Upsert_WithSeveralBadFields_ReportsThemAllTogether()
    {
        var p = await NewProjectAsync();

        var response = await PutFlow(p, "flow", Flows.Body("X", Flows.Steps(Flows.Wait(0), """{"handle": "email_1", "type": "channel"}""")));

        response.AssertError(422, "validation_failed", "steps[1].settings.duration", "too_short");
        response.AssertError(422, "validation_failed", "steps[2].channel_type", "required");
    }

    [Fact]
    public async Task Upsert_WithExactly200StepsAnd5Levels_IsAccepted()
    {
        var p = await NewProjectAsync();

        (await PutFlow(p, "many", Flows.Body("X", ManySteps(200)))).AssertStatus(201);
        (await PutFlow(p, "deep", Flows.Body("X", Nested(5)))).AssertStatus(201);
        (await PutFlow(p, "year", Flows.Body("X", Flows.Steps(Flows.Wait(365, "day"))))).AssertStatus(201);
        (await PutFlow(p, "branches", Flows.Body("X", Flows.Steps(Condition(Branches(10)))))).AssertStatus(201);
        (await PutFlow(p, "group", Flows.Body("X", Flows.Steps(Gated(Conditions(25)))))).AssertStatus(201);
    }
}

public sealed class SqliteNotiflowUpsertRejectionTests(SqliteFixture fixture) : NotiflowUpsertRejectionTests<SqliteFixture>(fixture);

public sealed class PostgresNotiflowUpsertRejectionTests(PostgresFixture fixture) : NotiflowUpsertRejectionTests<PostgresFixture>(fixture);
