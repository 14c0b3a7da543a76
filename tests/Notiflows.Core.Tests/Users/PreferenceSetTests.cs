using System.Text.Json;
using Notiflows.Core.Common;
using Notiflows.Core.Users;

namespace Notiflows.Core.Tests.Users;

/// <summary>Partial preferences updates (§5.8), their stored form, and the evaluation of §12.4.</summary>
public sealed class PreferenceSetTests
{
    private static readonly Guid Orders = Guid.Parse("01936f3e-7a10-7c21-8a4b-1f2e3d4c5b6a");

    private static PreferenceUpdate Update(string json, List<FieldError>? errors = null)
    {
        using var doc = JsonDocument.Parse(json);
        return PreferenceUpdate.Parse(doc.RootElement, "preferences", errors ?? [])!;
    }

    private static PreferenceSet Applied(string stored, string update)
    {
        var set = PreferenceSet.Parse(stored);
        var u = Update(update);
        set.Apply(u, u.Notiflows.ToDictionary(n => n.Key, _ => Orders));
        return set;
    }

    [Fact]
    public void Apply_ChangesOnlyNamedKeys_AndStoresOnlyWhatDiffersFromTheDefaults()
    {
        var set = Applied("""{"channel_types": {"sms": false, "chat": false}, "notiflows": {}}""",
            """{"channel_types": {"chat": null, "email": true}, "notiflows": {"orders": {"enabled": false, "channel_types": {"sms": true}}}}""");
        Assert.Equal(
            """{"channel_types":{"email":true,"sms":false},"notiflows":{"01936f3e-7a10-7c21-8a4b-1f2e3d4c5b6a":{"enabled":false,"channel_types":{"sms":true}}}}""",
            set.Serialize());

        set.Apply(Update("""{"notiflows": {"o": {"enabled": null, "channel_types": {"sms": null}}}}"""), new Dictionary<string, Guid> { ["o"] = Orders });
        Assert.Empty(set.Notiflows);
        Assert.Equal("""{"channel_types":{"email":true,"sms":false},"notiflows":{}}""", set.Serialize());
    }

    [Fact]
    public void Apply_NullEntry_RemovesEverythingForThatNotiflow()
    {
        var set = Applied("""{"notiflows": {"01936f3e-7a10-7c21-8a4b-1f2e3d4c5b6a": {"enabled": false, "channel_types": {"email": true}}}}""",
            """{"notiflows": {"orders": null}}""");
        Assert.Empty(set.Notiflows);
    }

    [Theory]
    [InlineData(true, "email", false)] // notiflow override false
    [InlineData(true, "sms", true)] // notiflow override true beats the general false
    [InlineData(true, "in_app", false)] // general false
    [InlineData(true, "chat", true)] // nothing set
    [InlineData(true, "webhook", true)] // no type preference for webhooks
    [InlineData(false, "email", true)] // left out of preferences: allowed
    [InlineData(false, "in_app", true)]
    public void Allows_FollowsTheOrderOfSection12_4(bool includeInPreferences, string type, bool allowed)
    {
        var set = Applied("{}", """{"channel_types": {"sms": false, "in_app": false}, "notiflows": {"o": {"channel_types": {"email": false, "sms": true}}}}""");
        Assert.Equal(allowed, set.Allows(Orders, includeInPreferences, type));
    }

    [Theory]
    [InlineData("webhook")]
    [InlineData("in_app")]
    [InlineData("email")]
    public void Allows_DisabledNotiflow_BlocksEveryTypeIncludingWebhook_UnlessLeftOut(string type)
    {
        var set = Applied("{}", """{"notiflows": {"o": {"enabled": false}}}""");
        Assert.False(set.Allows(Orders, true, type));
        Assert.True(set.Allows(Orders, false, type));
        Assert.True(set.Allows(Guid.NewGuid(), true, type));
    }

    [Fact]
    public void Parse_ReportsEveryBadMemberUnderThePrefix_AndKeepsTheGoodOnes()
    {
        var errors = new List<FieldError>();
        var update = Update("""
            {"channel_types": {"webhook": true, "sms": "no", "email": false},
             "notiflows": {"a": 1, "b": {"enabled": 2, "channel_types": {"fax": true}}, "c": null, "d": {"channel_types": []}}}
            """, errors);
        Assert.Equal([
            ("preferences.channel_types.sms", Reasons.Invalid), ("preferences.channel_types.webhook", Reasons.Invalid),
            ("preferences.notiflows.a", Reasons.Invalid), ("preferences.notiflows.b.channel_types.fax", Reasons.Invalid),
            ("preferences.notiflows.b.enabled", Reasons.Invalid), ("preferences.notiflows.d.channel_types", Reasons.Invalid),
        ], errors.Select(e => (e.Field, e.Reason)).Order().ToList());
        Assert.Equal([new TypeSetting("email", false)], update.ChannelTypes);
        Assert.Equal(["b", "c", "d"], update.Notiflows.Select(n => n.Key).ToList());
        Assert.True(update.Notiflows[1].Remove);
    }

    [Fact]
    public void Parse_NotAnObject_IsInvalidAtThePrefix()
    {
        var errors = new List<FieldError>();
        using var doc = JsonDocument.Parse("[1]");
        Assert.Null(PreferenceUpdate.Parse(doc.RootElement, "preferences", errors));
        Assert.Equal(new FieldError("preferences", "must be an object", Reasons.Invalid), Assert.Single(errors));
    }
}
