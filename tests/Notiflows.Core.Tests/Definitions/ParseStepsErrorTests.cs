using Notiflows.Core.Common;

namespace Notiflows.Core.Tests.Definitions;

public sealed class ParseStepsErrorTests
{
    private const string Cond = """
        {"handle":"cond","type":"condition","position":1,"settings":{"branches":[
          {"handle":"yes","conditions":[{"conditions":[{"property":"data.x","operator":"is_empty"}]}]},{"handle":"no"}]}}
        """;

    private static readonly string Group = """{"conditions":[{"property":"data.x","operator":"is_empty"}]}""";

    public static TheoryData<string, string, string> Cases => new()
    {
        // steps array
        { "{}", "steps", Reasons.Invalid },
        { $"[{string.Join(",", Enumerable.Range(0, 201).Select(i => $$"""{"handle":"s{{i}}","type":"wait","position":{{i}} }"""))}]", "steps", Reasons.TooMany },
        { Defs.Wrap("3"), "steps[1]", Reasons.Invalid },
        // structure
        { $"[{Defs.End}]", "steps", Reasons.Required },
        { $"[{Defs.Trigger}]", "steps", Reasons.Required },
        { Defs.Wrap("""{"handle":"t2","type":"trigger","position":1}"""), "steps", Reasons.Invalid },
        { """[{"handle":"trigger","type":"trigger","position":1},{"handle":"end","type":"end","position":2}]""", "steps", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"e2","type":"end","position":5}"""), "steps", Reasons.Invalid },
        { $"[{Defs.Trigger},{Defs.End},{{\"handle\":\"w\",\"type\":\"wait\",\"position\":100,\"settings\":{{\"duration\":1,\"unit\":\"day\"}}}}]", "steps", Reasons.Invalid },
        { Defs.Wrap(Cond, """{"handle":"t2","type":"trigger","position":0,"parent_step_handle":"cond","branch_handle":"yes"}"""), "steps", Reasons.Invalid },
        // handle
        { Defs.Wrap("""{"handle":"Bad-Handle","type":"end","position":1}"""), "steps[1].handle", Reasons.Format },
        { Defs.Wrap("""{"handle":"1abc","type":"channel","channel_type":"sms","position":1}"""), "steps[1].handle", Reasons.Format },
        { Defs.Wrap($$"""{"handle":"{{new string('a', 65)}}","type":"channel","channel_type":"sms","position":1}"""), "steps[1].handle", Reasons.Format },
        { Defs.Wrap("""{"handle":"end","type":"channel","channel_type":"sms","position":1}"""), "steps[2].handle", Reasons.Taken },
        { Defs.Wrap("""{"type":"channel","channel_type":"sms","position":1}"""), "steps[1].handle", Reasons.Required },
        { Defs.Wrap("""{"handle":5,"type":"channel","channel_type":"sms","position":1}"""), "steps[1].handle", Reasons.Invalid },
        // type, name, description
        { Defs.Wrap("""{"handle":"x","type":"email","position":1}"""), "steps[1].type", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"x","position":1}"""), "steps[1].type", Reasons.Required },
        { Defs.Wrap($$"""{"handle":"x","type":"channel","channel_type":"sms","position":1,"name":"{{new string('n', 256)}}"}"""), "steps[1].name", Reasons.TooLong },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"sms","position":1,"name":7}"""), "steps[1].name", Reasons.Invalid },
        { Defs.Wrap($$"""{"handle":"x","type":"channel","channel_type":"sms","position":1,"description":"{{new string('d', 2001)}}"}"""), "steps[1].description", Reasons.TooLong },
        // positions
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"sms","position":-1}"""), "steps[1].position", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"sms","position":1.5}"""), "steps[1].position", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"sms","position":"1"}"""), "steps[1].position", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"sms"}"""), "steps[1].position", Reasons.Required },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"sms","position":0}"""), "steps[1].position", Reasons.Taken },
        // parent / branch
        { Defs.Wrap(Cond, """{"handle":"x","type":"channel","channel_type":"sms","position":0,"parent_step_handle":"cond"}"""), "steps[2].branch_handle", Reasons.Invalid },
        { Defs.Wrap(Cond, """{"handle":"x","type":"channel","channel_type":"sms","position":0,"branch_handle":"yes"}"""), "steps[2].parent_step_handle", Reasons.Invalid },
        { Defs.Wrap(Cond, """{"handle":"x","type":"channel","channel_type":"sms","position":0,"parent_step_handle":"nope","branch_handle":"yes"}"""), "steps[2].parent_step_handle", Reasons.Invalid },
        { Defs.Wrap(Cond, """{"handle":"x","type":"channel","channel_type":"sms","position":0,"parent_step_handle":"end","branch_handle":"yes"}"""), "steps[2].parent_step_handle", Reasons.Invalid },
        { Defs.Wrap(Cond, """{"handle":"x","type":"channel","channel_type":"sms","position":0,"parent_step_handle":"cond","branch_handle":"maybe"}"""), "steps[2].branch_handle", Reasons.Invalid },
        { Defs.Wrap(Cond.Replace("\"position\":1", "\"position\":1,\"parent_step_handle\":\"cond\",\"branch_handle\":\"yes\"", StringComparison.Ordinal)), "steps[1].parent_step_handle", Reasons.Invalid },
        { Defs.Wrap(NestedConditions(6)), "steps[6].parent_step_handle", Reasons.TooMany },
        { Defs.Wrap(Cond, """{"handle":"e2","type":"end","position":0,"parent_step_handle":"cond","branch_handle":"yes"}""", """{"handle":"x","type":"channel","channel_type":"sms","position":1,"parent_step_handle":"cond","branch_handle":"yes"}"""), "steps[2].position", Reasons.Invalid },
        // channel fields
        { Defs.Wrap("""{"handle":"x","type":"channel","position":1}"""), "steps[1].channel_type", Reasons.Required },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"fax","position":1}"""), "steps[1].channel_type", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"sms","position":1,"channel_handle":"Bad Handle"}"""), "steps[1].channel_handle", Reasons.Format },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"sms","position":1,"provider_settings":{"api_key":"k"}}"""), "steps[1].provider_settings.api_key", Reasons.NotAllowed },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"sms","position":1,"provider_settings":{"headers":{}}}"""), "steps[1].provider_settings.headers", Reasons.NotAllowed },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"sms","position":1,"provider_settings":[]}"""), "steps[1].provider_settings", Reasons.Invalid },
        // template
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"email","position":1,"template":"hi"}"""), "steps[1].template", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"email","position":1,"template":{"channel_type":"sms","data":{}}}"""), "steps[1].template.channel_type", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"email","position":1,"template":{}}"""), "steps[1].template.data", Reasons.Required },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"email","position":1,"template":{"data":[]}}"""), "steps[1].template.data", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"email","position":1,"template":{"data":{"subject":1}}}"""), "steps[1].template.data.subject", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"email","position":1,"template":{"data":{"content_type":"markdown"}}}"""), "steps[1].template.data.content_type", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"in_app","position":1,"template":{"data":{"action_type":"double"}}}"""), "steps[1].template.data.action_type", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"in_app","position":1,"template":{"data":{"primary_action":"go"}}}"""), "steps[1].template.data.primary_action", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"in_app","position":1,"template":{"data":{"primary_action":{"label":1}}}}"""), "steps[1].template.data.primary_action.label", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"mobile_push","position":1,"template":{"data":{"badge_count":-1}}}"""), "steps[1].template.data.badge_count", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"mobile_push","position":1,"template":{"data":{"relevance_score":1.5}}}"""), "steps[1].template.data.relevance_score", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"mobile_push","position":1,"template":{"data":{"ttl":2.5}}}"""), "steps[1].template.data.ttl", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"mobile_push","position":1,"template":{"data":{"priority":"urgent"}}}"""), "steps[1].template.data.priority", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"webhook","position":1,"template":{"data":{"headers":{"X-A":1}}}}"""), "steps[1].template.data.headers.X-A", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"webhook","position":1,"template":{"data":{"headers":"h"}}}"""), "steps[1].template.data.headers", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"webhook","position":1,"template":{"data":{"method":"FETCH"}}}"""), "steps[1].template.data.method", Reasons.Invalid },
        // timing
        { Defs.Wrap("""{"handle":"w","type":"wait","position":1,"settings":{"duration":0,"unit":"day"}}"""), "steps[1].settings.duration", Reasons.TooShort },
        { Defs.Wrap("""{"handle":"w","type":"wait","position":1,"settings":{"duration":1.5,"unit":"day"}}"""), "steps[1].settings.duration", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"w","type":"wait","position":1,"settings":{"duration":"1","unit":"day"}}"""), "steps[1].settings.duration", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"w","type":"wait","position":1,"settings":{"duration":366,"unit":"days"}}"""), "steps[1].settings.duration", Reasons.TooLong },
        { Defs.Wrap("""{"handle":"w","type":"digest","position":1,"settings":{"duration":8761,"unit":"hour"}}"""), "steps[1].settings.duration", Reasons.TooLong },
        { Defs.Wrap("""{"handle":"w","type":"wait","position":1,"settings":{"unit":"day"}}"""), "steps[1].settings.duration", Reasons.Required },
        { Defs.Wrap("""{"handle":"w","type":"wait","position":1,"settings":{"duration":1}}"""), "steps[1].settings.duration_unit", Reasons.Required },
        { Defs.Wrap("""{"handle":"w","type":"wait","position":1,"settings":{"duration":1,"unit":"week"}}"""), "steps[1].settings.unit", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"w","type":"wait","position":1,"settings":{"duration":1,"duration_unit":"fortnight"}}"""), "steps[1].settings.duration_unit", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"w","type":"wait","position":1}"""), "steps[1].settings.duration", Reasons.Required },
        { Defs.Wrap("""{"handle":"w","type":"wait","position":1,"settings":[]}"""), "steps[1].settings", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"w","type":"throttle","position":1,"settings":{"duration":1,"unit":"day","throttle_key":3}}"""), "steps[1].settings.throttle_key", Reasons.Invalid },
        // branches
        { Defs.Wrap("""{"handle":"c","type":"condition","position":1}"""), "steps[1].settings.branches", Reasons.Required },
        { Defs.Wrap("""{"handle":"c","type":"condition","position":1,"settings":{"branches":[{"handle":"a"}]}}"""), "steps[1].settings.branches", Reasons.TooShort },
        { Defs.Wrap($$"""{"handle":"c","type":"condition","position":1,"settings":{"branches":[{{string.Join(",", Enumerable.Range(0, 11).Select(i => $$"""{"handle":"b{{i}}","conditions":[{{Group}}]}"""))}}]} }"""), "steps[1].settings.branches", Reasons.TooMany },
        { Defs.Wrap("""{"handle":"c","type":"condition","position":1,"settings":{"branches":[{"handle":"a"},{"handle":"b"}]}}"""), "steps[1].settings.branches", Reasons.NotAllowed },
        { Defs.Wrap($$"""{"handle":"c","type":"condition","position":1,"settings":{"branches":[{"handle":"a","finish":true,"conditions":[{{Group}}]},{"handle":"b","finish":true}]} }"""), "steps[1].settings.branches", Reasons.Invalid },
        { Defs.Wrap($$"""{"handle":"c","type":"condition","position":1,"settings":{"branches":[{"handle":"A B","conditions":[{{Group}}]},{"handle":"b"}]} }"""), "steps[1].settings.branches[0].handle", Reasons.Format },
        { Defs.Wrap($$"""{"handle":"c","type":"condition","position":1,"settings":{"branches":[{"handle":"a","conditions":[{{Group}}]},{"handle":"a"}]} }"""), "steps[1].settings.branches[1].handle", Reasons.Taken },
        { Defs.Wrap($$"""{"handle":"c","type":"condition","position":1,"settings":{"branches":[{"handle":"a","finish":"no","conditions":[{{Group}}]},{"handle":"b"}]} }"""), "steps[1].settings.branches[0].finish", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"c","type":"condition","position":1,"settings":{"branches":[{"handle":"a","conditions":[{"conditions":[{"property":"p","operator":"is_empty"},{"property":"p","operator":"bigger"}]}]},{"handle":"b"}]}}"""), "steps[1].settings.branches[0].conditions[0].conditions[1].operator", Reasons.Invalid },
        // conditions (step gates)
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"sms","position":1,"conditions":{}}"""), "steps[1].conditions", Reasons.Invalid },
        { Defs.Wrap($$"""{"handle":"x","type":"channel","channel_type":"sms","position":1,"conditions":[{{string.Join(",", Enumerable.Repeat(Group, 11))}}]}"""), "steps[1].conditions", Reasons.TooMany },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"sms","position":1,"conditions":[{"conditions":[]}]}"""), "steps[1].conditions[0].conditions", Reasons.TooShort },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"sms","position":1,"conditions":[{"operator":"and"}]}"""), "steps[1].conditions[0].conditions", Reasons.Required },
        { Defs.Wrap($$"""{"handle":"x","type":"channel","channel_type":"sms","position":1,"conditions":[{"conditions":[{{string.Join(",", Enumerable.Repeat("""{"property":"p","operator":"is_empty"}""", 26))}}]}]}"""), "steps[1].conditions[0].conditions", Reasons.TooMany },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"sms","position":1,"conditions":[{"operator":"xor","conditions":[{"property":"p","operator":"is_empty"}]}]}"""), "steps[1].conditions[0].operator", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"sms","position":1,"conditions":[{"conditions":[{"operator":"is_empty"}]}]}"""), "steps[1].conditions[0].conditions[0].property", Reasons.Required },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"sms","position":1,"conditions":[{"conditions":[{"property":"p"}]}]}"""), "steps[1].conditions[0].conditions[0].operator", Reasons.Required },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"sms","position":1,"conditions":[{"conditions":[{"property":"p","operator":"equal_to","value":[1]}]}]}"""), "steps[1].conditions[0].conditions[0].value", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"sms","position":1,"conditions":[{"conditions":[{"property":"p","operator":"equal_to","value":{"a":1}}]}]}"""), "steps[1].conditions[0].conditions[0].value", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"sms","position":1,"conditions":[{"conditions":[{"property":"p","operator":"equal_to","value":1,"value_type":"ref"}]}]}"""), "steps[1].conditions[0].conditions[0].value", Reasons.Invalid },
        { Defs.Wrap("""{"handle":"x","type":"channel","channel_type":"sms","position":1,"conditions":[{"conditions":[{"property":"p","operator":"equal_to","value_type":"dynamic"}]}]}"""), "steps[1].conditions[0].conditions[0].value_type", Reasons.Invalid },
        { $"[{Defs.Trigger.Replace("}", $",\"conditions\":[{Group}]}}", StringComparison.Ordinal)},{Defs.End}]", "steps[0].conditions", Reasons.NotAllowed },
        { $"[{Defs.Trigger},{Defs.End.Replace("}", $",\"conditions\":[{Group}]}}", StringComparison.Ordinal)}]", "steps[1].conditions", Reasons.NotAllowed },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ParseSteps_BadInput_ReportsFieldAndReason(string steps, string field, string reason)
    {
        var result = Defs.Parse(steps);

        Assert.Contains(result.Errors, e => e.Field == field && e.Reason == reason);
    }

    [Fact]
    public void ParseSteps_TriggerAndEndWithEmptyConditions_AreAccepted() =>
        Defs.Valid("""[{"handle":"trigger","type":"trigger","position":0,"conditions":[]},{"handle":"end","type":"end","position":1,"conditions":[]}]""");

    [Fact]
    public void ParseSteps_FiveNestedConditionLevels_AreAccepted() => Defs.Valid(Defs.Wrap(NestedConditions(5)));

    /// <summary>Condition steps c1..cN, each inside the first branch of the previous one; input indexes 1..N.</summary>
    private static string[] NestedConditions(int levels) =>
    [
        .. Enumerable.Range(1, levels).Select(level =>
        {
            var parent = level == 1 ? string.Empty : $$""","parent_step_handle":"c{{level - 1}}","branch_handle":"in" """;
            return $$"""
                {"handle":"c{{level}}","type":"condition","position":{{(level == 1 ? 1 : 0)}}{{parent}},"settings":{"branches":[
                  {"handle":"in","conditions":[{{Group}}]},{"handle":"out"}]} }
                """;
        }),
    ];
}
