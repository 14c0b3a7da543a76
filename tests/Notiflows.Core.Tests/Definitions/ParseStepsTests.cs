using System.Text.Json.Nodes;
using Notiflows.Core.Definitions;

namespace Notiflows.Core.Tests.Definitions;

public sealed class ParseStepsTests
{
    private const string WelcomeSeries = """
        [
          { "handle": "trigger", "position": 0, "type": "trigger" },
          { "channel_type": "email", "handle": "welcome_email", "name": "Welcome Email", "position": 1, "type": "channel" },
          { "handle": "wait_1", "name": "Wait 1 Day", "position": 2, "settings": { "duration": 1, "unit": "day" }, "type": "wait" },
          { "handle": "end", "position": 3, "type": "end" }
        ]
        """;

    private const string WelcomeSeriesResponse = """
        [
          { "handle": "trigger", "type": "trigger", "position": 0, "name": null, "description": null, "parent_step_handle": null, "branch_handle": null, "channel_type": null, "channel_handle": null, "template": null, "settings": {}, "conditions": [], "provider_settings": {} },
          { "handle": "welcome_email", "type": "channel", "position": 1, "name": "Welcome Email", "description": null, "parent_step_handle": null, "branch_handle": null, "channel_type": "email", "channel_handle": null, "template": null, "settings": {}, "conditions": [], "provider_settings": {} },
          { "handle": "wait_1", "type": "wait", "position": 2, "name": "Wait 1 Day", "description": null, "parent_step_handle": null, "branch_handle": null, "channel_type": null, "channel_handle": null, "template": null, "settings": { "duration": 1, "duration_unit": "days" }, "conditions": [], "provider_settings": {} },
          { "handle": "end", "type": "end", "position": 3, "name": null, "description": null, "parent_step_handle": null, "branch_handle": null, "channel_type": null, "channel_handle": null, "template": null, "settings": {}, "conditions": [], "provider_settings": {} }
        ]
        """;

    [Fact]
    public void ParseSteps_WelcomeSeries_NormalisesToTheDocumentedResponseForm()
    {
        var steps = Defs.Valid(WelcomeSeries);

        var actual = StepJson.ToJson(steps).ToJsonString();
        Assert.Equal(JsonNode.Parse(WelcomeSeriesResponse)!.ToJsonString(), actual);
    }

    [Fact]
    public void ParseSteps_ResponseFormRoundTrip_KeepsTheSha()
    {
        var steps = Defs.Valid(WelcomeSeries);
        var again = Defs.Valid(StepJson.ToJson(steps).ToJsonString());

        Assert.Equal(VersionSha.Compute(steps), VersionSha.Compute(again));
    }

    [Theory]
    [InlineData("\"day\"", "unit", "days")]
    [InlineData("\"Minutes\"", "duration_unit", "minutes")]
    [InlineData("\"HOUR\"", "unit", "hours")]
    [InlineData("\"second\"", "duration_unit", "seconds")]
    public void ParseSteps_WaitWithSingularUnit_NormalisesToPluralDurationUnit(string unit, string key, string expected)
    {
        var steps = Defs.Valid(Defs.Wrap($$"""{"handle":"w","type":"wait","position":1,"settings":{"duration":2,"{{key}}":{{unit}} } }"""));

        Assert.Equal($$"""{"duration":2,"duration_unit":"{{expected}}"}""", steps[1].Settings.ToJsonString());
    }

    [Fact]
    public void ParseSteps_BothUnitKeys_DurationUnitWins()
    {
        var steps = Defs.Valid(Defs.Wrap("""{"handle":"w","type":"wait","position":1,"settings":{"duration":2,"unit":"bogus","duration_unit":"day"}}"""));

        Assert.Equal("days", steps[1].Settings["duration_unit"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("digest", "digest_key")]
    [InlineData("throttle", "throttle_key")]
    public void ParseSteps_DigestAndThrottle_HaveNullKeyWhenUnset(string type, string key)
    {
        var steps = Defs.Valid(Defs.Wrap($$"""{"handle":"s","type":"{{type}}","position":1,"settings":{"duration":5,"unit":"minute"} }"""));

        Assert.Equal($$"""{"duration":5,"duration_unit":"minutes","{{key}}":null}""", steps[1].Settings.ToJsonString());
    }

    [Fact]
    public void ParseSteps_IrrelevantInput_IsIgnored()
    {
        var steps = Defs.Valid(Defs.Wrap(
            """{"handle":"w","type":"wait","position":1,"channel_type":"email","channel_handle":"x","template":{"data":{}},"provider_settings":{"a":1},"settings":{"duration":1,"unit":"day"}}""",
            """{"handle":"c","type":"channel","channel_type":"sms","position":2,"settings":{"duration":1}}"""));

        Assert.Null(steps[1].ChannelType);
        Assert.Null(steps[1].Template);
        Assert.Empty(steps[1].ProviderSettings);
        Assert.Empty(steps[2].Settings);
    }

    [Fact]
    public void ParseSteps_ConditionStep_NormalisesBranchesAndConditions()
    {
        var steps = Defs.Valid(Defs.Wrap(
            """
            {"handle":"plan_check","type":"condition","position":2,"settings":{"branches":[
              {"handle":"enterprise","conditions":[{"conditions":[{"property":"data.plan","operator":"equal_to","value":"x"}]}]},
              {"handle":"default","finish":true}]}}
            """,
            """{"handle":"child","type":"channel","channel_type":"sms","position":0,"parent_step_handle":"plan_check","branch_handle":"enterprise"}"""));

        var expected = """
            {"branches":[{"handle":"enterprise","name":"enterprise","finish":false,"conditions":[{"operator":"and","conditions":[
            {"property":"data.plan","operator":"equal_to","value":"x","value_type":"static"}]}]},
            {"handle":"default","name":"default","finish":true,"conditions":[]}]}
            """;
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), steps[1].Settings.ToJsonString());
    }

    [Fact]
    public void ParseSteps_NestedBranches_AreReturnedInDepthFirstOrder()
    {
        var steps = Defs.Valid("""
            [
              {"handle":"end","type":"end","position":9},
              {"handle":"b_child_1","type":"wait","position":1,"parent_step_handle":"cond","branch_handle":"b","settings":{"duration":1,"unit":"day"}},
              {"handle":"a_child","type":"channel","channel_type":"sms","position":0,"parent_step_handle":"cond","branch_handle":"a"},
              {"handle":"cond","type":"condition","position":2,"settings":{"branches":[
                {"handle":"b","conditions":[{"conditions":[{"property":"p","operator":"is_empty"}]}]},{"handle":"a"}]}},
              {"handle":"b_child_0","type":"channel","channel_type":"sms","position":0,"parent_step_handle":"cond","branch_handle":"b"},
              {"handle":"trigger","type":"trigger","position":0},
              {"handle":"after","type":"channel","channel_type":"sms","position":5}
            ]
            """);

        Assert.Equal(["trigger", "cond", "b_child_0", "b_child_1", "a_child", "after", "end"], steps.Select(s => s.Handle));
    }

    [Fact]
    public void ParseSteps_TemplateWithoutChannelType_DefaultsItAndFillsContentType()
    {
        var steps = Defs.Valid(Defs.Wrap(
            """{"handle":"e","type":"channel","channel_type":"email","position":1,"template":{"id":"x","data":{"subject":"s","body":"b","junk":1}}}"""));

        Assert.Equal("email", steps[1].Template!.ChannelType);
        Assert.Equal("""{"subject":"s","body":"b","content_type":"plaintext"}""", steps[1].Template!.Data.ToJsonString());
    }

    [Fact]
    public void ParseSteps_ProviderSettingsWithoutSecrets_AreKept()
    {
        var steps = Defs.Valid(Defs.Wrap(
            """{"handle":"e","type":"channel","channel_type":"email","position":1,"provider_settings":{"from_email":"a@b.c"}}"""));

        Assert.Equal("""{"from_email":"a@b.c"}""", steps[1].ProviderSettings.ToJsonString());
    }

    [Fact]
    public void ParseSteps_ManyErrors_AreAllReported()
    {
        var result = Defs.Parse(Defs.Wrap(
            """{"handle":"Bad","type":"wait","position":1,"settings":{"duration":0,"unit":"day"}}""",
            """{"handle":"x","type":"nope","position":-1}"""));

        Assert.Equal(4, result.Errors.Count);
    }
}
