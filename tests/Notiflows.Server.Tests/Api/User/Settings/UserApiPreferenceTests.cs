using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Api.Admin.Preferences;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.User.Settings;

/// <summary>GET/PUT <c>/user/v1/preferences</c> (§7.1, §5.8).</summary>
public abstract class UserApiPreferenceTests<TFixture>(TFixture fixture) : UserSettingsTestBase<TFixture>(fixture) where TFixture : HostFixture
{
    /// <summary>The caller u1 in a project with users u1, u2 and the notiflows of <see cref="PreferenceCases"/>.</summary>
    private async Task<Me> PreferencesProjectAsync(bool development)
    {
        var flow = Steps(Trigger, InApp("inbox", 1), End(2));
        var p = await PublishAsync(await ProjectWithUsersAsync("u1", "u2"), "orders", flow);
        await PublishAsync(p, "critical", flow, "\"include_in_preferences\": false,");
        return await MeAsync(development, p);
    }

    private async Task<JsonObject> AdminPreferences(TestProject p, string user) =>
        (await Admin(p, HttpMethod.Get, $"/admin/v1/users/{user}/preferences")).AssertStatus(200).Body;

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Get_Defaults_PutIsPartial_AndTheAdminApiSeesTheSame(bool development)
    {
        var me = await PreferencesProjectAsync(development);
        var orders = (string)(await Mgmt(HttpMethod.Get, $"{me.Project.Base}/notiflows/orders")).AssertStatus(200).Body["id"]!;

        var defaults = (await Call(me, HttpMethod.Get, MyPreferences)).AssertStatus(200).Body;
        (await Call(me, HttpMethod.Put, MyPreferences, """{"channel_types": {"sms": false, "email": false}}""")).AssertStatus(200);
        var updated = (await Call(me, HttpMethod.Put, MyPreferences, """{"channel_types": {"email": null}, "notiflows": {"orders": {"enabled": false}}}"""))
            .AssertStatus(200).Body;

        Assert.True(JsonNode.DeepEquals(defaults, await AdminPreferences(me.Project, "u2")), defaults.ToJsonString());
        Assert.True(JsonNode.DeepEquals(Obj(
            $$"""
            {"channel_types": {"chat": true, "email": true, "in_app": true, "mobile_push": true, "sms": false, "web_push": true},
             "notiflows": {"{{orders}}": {"enabled": false, "channel_types": {}, "name": "orders", "handle": "orders"} } }
            """), updated), updated.ToJsonString());
        Assert.True(JsonNode.DeepEquals(updated, (await Call(me, HttpMethod.Get, MyPreferences)).AssertStatus(200).Body));
        Assert.True(JsonNode.DeepEquals(updated, await AdminPreferences(me.Project, "u1")));
    }

    [Theory]
    [MemberData(nameof(PreferenceCases.BadInput), MemberType = typeof(PreferenceCases))]
    public async Task Put_BadInput_Returns422_AndWritesNothing(string body, string field, string reason)
    {
        var me = await PreferencesProjectAsync(development: false);
        var before = await AdminPreferences(me.Project, "u1");

        (await Call(me, HttpMethod.Put, MyPreferences, body)).AssertError(422, "validation_failed", field, reason);

        Assert.True(JsonNode.DeepEquals(before, await AdminPreferences(me.Project, "u1")));
    }
}

public sealed class SqliteUserApiPreferenceTests(SqliteFixture fixture) : UserApiPreferenceTests<SqliteFixture>(fixture);

public sealed class PostgresUserApiPreferenceTests(PostgresFixture fixture) : UserApiPreferenceTests<PostgresFixture>(fixture);
