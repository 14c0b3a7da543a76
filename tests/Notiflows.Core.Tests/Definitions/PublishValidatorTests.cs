using Notiflows.Core.Common;
using Notiflows.Core.Definitions;

namespace Notiflows.Core.Tests.Definitions;

public sealed class PublishValidatorTests
{
    private static readonly ChannelInfo[] BuiltIn =
    [
        new("in-app", "in_app", false) { IsDefault = true },
        new("email-sandbox", "email", false) { IsDefault = true },
        new("sms-sandbox", "sms", false) { IsDefault = true },
        new("webhook-sandbox", "webhook", false) { IsDefault = true },
    ];

    private static PublishReport Validate(string step, IReadOnlyList<ChannelInfo>? channels = null) =>
        PublishValidator.Validate(Defs.Valid(Defs.Wrap(step)), channels ?? BuiltIn);

    private static void AssertError(PublishReport report, string field, string reason)
    {
        Assert.False(report.Valid);
        Assert.Contains(report.Errors, e => e.Field == field && e.Reason == reason);
    }

    [Fact]
    public void Validate_CompleteEmailStep_IsValidWithoutWarnings()
    {
        var report = Validate("""{"handle":"e","type":"channel","channel_type":"email","position":1,"template":{"data":{"subject":"Hi {{ recipient.first_name | default: 'there' }}","body":"b"}}}""");

        Assert.True(report.Valid);
        Assert.Empty(report.Warnings);
    }

    [Fact]
    public void Validate_ChannelStepWithoutTemplate_WarnsNoTemplate()
    {
        var report = Validate("""{"handle":"e","type":"channel","channel_type":"email","position":1}""");

        Assert.True(report.Valid);
        Assert.Equal(
            [new FieldError("steps[1].template", "channel step has no template; its deliveries will be skipped", "no_template")],
            report.Warnings);
    }

    [Fact]
    public void Validate_EmailWithoutSubject_RequiresSubject() => AssertError(
        Validate("""{"handle":"e","type":"channel","channel_type":"email","position":1,"template":{"data":{"body":"b","subject":"  "}}}"""),
        "steps[1].template.data.subject", Reasons.Required);

    [Fact]
    public void Validate_BadLiquid_IsInvalid() => AssertError(
        Validate("""{"handle":"e","type":"channel","channel_type":"email","position":1,"template":{"data":{"subject":"{% if x %}","body":"b"}}}"""),
        "steps[1].template.data.subject", Reasons.Invalid);

    [Fact]
    public void Validate_UnknownFilter_IsInvalid() => AssertError(
        Validate("""{"handle":"e","type":"channel","channel_type":"sms","position":1,"template":{"data":{"body":"{{ x | shout }}"}}}"""),
        "steps[1].template.data.body", Reasons.Invalid);

    [Fact]
    public void Validate_UnknownChannelHandle_IsInvalid() => AssertError(
        Validate("""{"handle":"e","type":"channel","channel_type":"sms","channel_handle":"twilio-main","position":1}"""),
        "steps[1].channel_handle", Reasons.Invalid);

    [Fact]
    public void Validate_ChannelHandleOfAnotherType_IsInvalid() => AssertError(
        Validate("""{"handle":"e","type":"channel","channel_type":"sms","channel_handle":"email-sandbox","position":1}"""),
        "steps[1].channel_handle", Reasons.Invalid);

    [Fact]
    public void Validate_NoChannelOfType_ChannelTypeIsInvalid() => AssertError(
        Validate("""{"handle":"e","type":"channel","channel_type":"chat","position":1}"""),
        "steps[1].channel_type", Reasons.Invalid);

    [Fact]
    public void Validate_InAppSingleWithoutPrimaryAction_IsRequired() => AssertError(
        Validate("""{"handle":"e","type":"channel","channel_type":"in_app","position":1,"template":{"data":{"body":"b","action_type":"single"}}}"""),
        "steps[1].template.data.primary_action", Reasons.Required);

    [Fact]
    public void Validate_InAppMultiWithoutSecondaryAction_IsRequired() => AssertError(
        Validate("""{"handle":"e","type":"channel","channel_type":"in_app","position":1,"template":{"data":{"body":"b","action_type":"multi","primary_action":{"label":"l","url":"u"}}}}"""),
        "steps[1].template.data.secondary_action", Reasons.Required);

    [Fact]
    public void Validate_ActionWithoutUrl_IsRequired() => AssertError(
        Validate("""{"handle":"e","type":"channel","channel_type":"in_app","position":1,"template":{"data":{"body":"b","primary_action":{"label":"l"}}}}"""),
        "steps[1].template.data.primary_action.url", Reasons.Required);

    [Fact]
    public void Validate_WebhookWithoutUrlAnywhere_RequiresUrl() => AssertError(
        Validate("""{"handle":"w","type":"channel","channel_type":"webhook","position":1,"template":{"data":{}}}"""),
        "steps[1].template.data.url", Reasons.Required);

    [Fact]
    public void Validate_WebhookWithChannelUrl_IsValid()
    {
        var channels = new[] { new ChannelInfo("hooks", "webhook", true) };

        var report = Validate("""{"handle":"w","type":"channel","channel_type":"webhook","channel_handle":"hooks","position":1,"template":{"data":{}}}""", channels);

        Assert.True(report.Valid);
    }

    [Fact]
    public void Validate_WebhookHeaderWithBadLiquid_IsInvalid() => AssertError(
        Validate("""{"handle":"w","type":"channel","channel_type":"webhook","position":1,"template":{"data":{"url":"https://x","headers":{"X-A":"{{ a | nope }}"}}}}"""),
        "steps[1].template.data.headers.X-A", Reasons.Invalid);
}
