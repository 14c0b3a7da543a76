using Notiflows.Core.Common;
using Notiflows.Core.Definitions;

namespace Notiflows.Core.Tests.Definitions;

public sealed class TemplateMergeTests
{
    private static readonly IReadOnlyList<Step> Current = Defs.Valid(Defs.Wrap(
        """{"handle":"mail","type":"channel","channel_type":"email","position":1,"template":{"data":{"subject":"s","body":"b"}}}"""));

    [Fact]
    public void ParseSteps_OmittedTemplate_KeepsTheCurrentTemplateInstance()
    {
        var steps = Defs.Valid(Defs.Wrap("""{"handle":"mail","type":"channel","channel_type":"email","position":1}"""), Current);

        Assert.Same(Current[1].Template, steps[1].Template);
    }

    [Fact]
    public void ParseSteps_NullTemplate_RemovesIt()
    {
        var steps = Defs.Valid(Defs.Wrap("""{"handle":"mail","type":"channel","channel_type":"email","position":1,"template":null}"""), Current);

        Assert.Null(steps[1].Template);
    }

    [Fact]
    public void ParseSteps_OmittedTemplateWithOtherChannelType_DoesNotKeepIt()
    {
        var steps = Defs.Valid(Defs.Wrap("""{"handle":"mail","type":"channel","channel_type":"sms","position":1}"""), Current);

        Assert.Null(steps[1].Template);
    }

    [Fact]
    public void ParseSteps_NewTemplate_GetsIdFromNewId()
    {
        var id = Guid.Parse("01937a2b-5c6d-7e8f-9a0b-1c2d3e4f5a6b");
        var result = DefinitionParser.ParseSteps(
            Defs.Json(Defs.Wrap("""{"handle":"mail","type":"channel","channel_type":"email","position":1,"template":{"data":{"body":"x"}}}""")),
            Current,
            () => id);

        Assert.Equal(id, result.Steps[1].Template!.Id);
    }

    [Fact]
    public void ParseTemplate_ValidBody_ReturnsNormalisedTemplate()
    {
        var result = DefinitionParser.ParseTemplate(Defs.Json("""{"data":{"subject":"s","body":"b","content_type":"html","x":1}}"""), Current[1], Defs.NewId);

        Assert.Empty(result.Errors);
        Assert.Equal("""{"subject":"s","body":"b","content_type":"html"}""", result.Template!.Data.ToJsonString());
    }

    [Theory]
    [InlineData("""{"channel_type":"sms","data":{}}""", "channel_type", Reasons.Invalid)]
    [InlineData("""{"channel_type":"email"}""", "data", Reasons.Required)]
    [InlineData("""{"data":"x"}""", "data", Reasons.Invalid)]
    [InlineData("""{"data":{"subject":true}}""", "data.subject", Reasons.Invalid)]
    public void ParseTemplate_BadBody_ReportsRelativeField(string body, string field, string reason)
    {
        var result = DefinitionParser.ParseTemplate(Defs.Json(body), Current[1], Defs.NewId);

        Assert.Null(result.Template);
        Assert.Contains(result.Errors, e => e.Field == field && e.Reason == reason);
    }

    [Fact]
    public void ParseTemplate_NotAChannelStep_IsNotAllowed()
    {
        var result = DefinitionParser.ParseTemplate(Defs.Json("""{"data":{}}"""), Current[0], Defs.NewId);

        Assert.Equal([new FieldError("step", result.Errors[0].Message, Reasons.NotAllowed)], result.Errors);
    }
}
