using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Engine;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Admin.Preferences;

/// <summary>Preferences of a user (§5.8, §6.4) and the <c>preferences</c> of a user upsert (§5.1, §6.1).</summary>
public abstract class PreferenceTests<TFixture>(TFixture fixture) : EngineTests<TFixture>(fixture) where TFixture : HostFixture
{
    private static readonly string[] SixTypes = ["chat", "email", "in_app", "mobile_push", "sms", "web_push"];

    private static string Flow => Steps(Trigger, InApp("inbox", 1), End(2));

    /// <summary>A project with user u1 and two published notiflows: "orders" (in preferences) and "critical" (left out).</summary>
    private async Task<TestProject> ProjectAsync()
    {
        var p = await PublishAsync(await NewProjectAsync(), "orders", Flow);
        await PublishAsync(p, "critical", Flow, "\"include_in_preferences\": false,");
        (await Admin(p, HttpMethod.Put, "/admin/v1/users/u1", "{}")).AssertStatus(201);
        return p;
    }

    private async Task<string> NotiflowId(TestProject p, string handle) =>
        (string)(await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/{handle}")).AssertStatus(200).Body["id"]!;

    private Task<ApiResponse> Put(TestProject p, string body, string user = "u1") =>
        Admin(p, HttpMethod.Put, $"/admin/v1/users/{user}/preferences", body);

    private async Task<JsonObject> Get(TestProject p, string user = "u1") =>
        (await Admin(p, HttpMethod.Get, $"/admin/v1/users/{user}/preferences")).AssertStatus(200).Body;

    private static Dictionary<string, bool> Types(JsonNode? types) =>
        types!.AsObject().ToDictionary(t => t.Key, t => (bool)t.Value!);

    private static Dictionary<string, bool> AllTrueExcept(params string[] off) => SixTypes.ToDictionary(t => t, t => !off.Contains(t));

    [Fact]
    public async Task Get_Defaults_AllSixTypesTrue_ListsOnlyPublishedNotArchivedNotiflowsInPreferences()
    {
        var p = await ProjectAsync();
        (await Mgmt(HttpMethod.Put, $"{p.Base}/notiflows/orders", """{"name": "Order Updates"}""")).AssertStatus(200);
        (await Mgmt(HttpMethod.Put, $"{p.Base}/notiflows/draft-only", $$"""{"name": "Draft", "steps": {{Flow}}}""")).AssertStatus(201);
        await PublishAsync(p, "gone", Flow);
        (await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/gone/archive")).AssertStatus(200);

        var prefs = await Get(p);

        Assert.Equal(["channel_types", "notiflows"], prefs.Select(x => x.Key).ToList());
        Assert.Equal(AllTrueExcept(), Types(prefs["channel_types"]));
        Assert.Equal(SixTypes, prefs["channel_types"]!.AsObject().Select(x => x.Key).ToList());
        var orders = await NotiflowId(p, "orders");
        Assert.Equal([orders], prefs["notiflows"]!.AsObject().Select(x => x.Key).ToList());
        Assert.True(JsonNode.DeepEquals(
            Obj("""{"enabled": true, "channel_types": {}, "name": "Order Updates", "handle": "orders"}"""), prefs["notiflows"]![orders]),
            prefs.ToJsonString());
    }

    [Fact]
    public async Task Put_IsPartial_NullResets_HandleAnsweredById_NullEntryRemovesItsSettings()
    {
        var p = await ProjectAsync();
        var orders = await NotiflowId(p, "orders");

        var first = (await Put(p, """{"channel_types": {"sms": false, "email": false}}""")).AssertStatus(200).Body;
        Assert.Equal(AllTrueExcept("sms", "email"), Types(first["channel_types"]));

        var second = (await Put(p, """{"channel_types": {"email": null}, "notiflows": {"orders": {"enabled": false, "channel_types": {"sms": true}}}}"""))
            .AssertStatus(200).Body;
        Assert.Equal(AllTrueExcept("sms"), Types(second["channel_types"]));
        Assert.Equal([orders], second["notiflows"]!.AsObject().Select(x => x.Key).ToList());
        Assert.False((bool)second["notiflows"]![orders]!["enabled"]!);
        Assert.Equal(new Dictionary<string, bool> { ["sms"] = true }, Types(second["notiflows"]![orders]!["channel_types"]));

        // Only what is named changes: the switch stays off, one override is removed and another added.
        var third = (await Put(p, "{\"notiflows\": {\"" + orders + "\": " + """{"channel_types": {"sms": null, "email": false}}}}""")).AssertStatus(200).Body;
        Assert.False((bool)third["notiflows"]![orders]!["enabled"]!);
        Assert.Equal(new Dictionary<string, bool> { ["email"] = false }, Types(third["notiflows"]![orders]!["channel_types"]));
        Assert.Equal(AllTrueExcept("sms"), Types(third["channel_types"]));
        Assert.True(JsonNode.DeepEquals(third, await Get(p)));

        Assert.True(JsonNode.DeepEquals(third, (await Put(p, "{}")).AssertStatus(200).Body));
        // A GET response sent back as is changes nothing (name and handle are read-only and ignored).
        Assert.True(JsonNode.DeepEquals(third, (await Put(p, third.ToJsonString())).AssertStatus(200).Body));

        var removed = (await Put(p, $$$"""{"notiflows": {"{{{orders}}}": null}}""")).AssertStatus(200).Body;
        Assert.True(JsonNode.DeepEquals(
            Obj("""{"enabled": true, "channel_types": {}, "name": "orders", "handle": "orders"}"""), removed["notiflows"]![orders]));
        Assert.Equal(AllTrueExcept("sms"), Types(removed["channel_types"]));
        var enabledAgain = (await Put(p, """{"notiflows": {"orders": {"enabled": false}}}""")).AssertStatus(200).Body;
        Assert.False((bool)enabledAgain["notiflows"]![orders]!["enabled"]!);
        Assert.True((bool)(await Put(p, """{"notiflows": {"orders": {"enabled": null}}}""")).AssertStatus(200).Body["notiflows"]![orders]!["enabled"]!);
    }

    [Fact]
    public async Task Put_ConcurrentPartialUpdates_AllApply()
    {
        var p = await ProjectAsync();

        var responses = await Task.WhenAll(SixTypes.Select(t => Put(p, "{\"channel_types\": {\"" + t + "\": false}}")));

        Assert.All(responses, r => r.AssertStatus(200));

        Assert.Equal(SixTypes.ToDictionary(t => t, _ => false), Types((await Get(p))["channel_types"]));
    }

    [Fact]
    public async Task Put_ArchivedOrUnpublishedNotiflow_IsAccepted_AndListedOncePublished()
    {
        var p = await ProjectAsync();
        (await Mgmt(HttpMethod.Put, $"{p.Base}/notiflows/later", $$"""{"name": "Later", "steps": {{Flow}}}""")).AssertStatus(201);

        var saved = (await Put(p, """{"notiflows": {"later": {"enabled": false}}}""")).AssertStatus(200).Body;
        Assert.Single(saved["notiflows"]!.AsObject());

        (await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/later/publish")).AssertStatus(200);
        var later = await NotiflowId(p, "later");
        Assert.False((bool)(await Get(p))["notiflows"]![later]!["enabled"]!);
        (await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/later/archive")).AssertStatus(200);
        (await Put(p, """{"notiflows": {"later": {"channel_types": {"email": false}}}}""")).AssertStatus(200);
        (await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/later/unarchive")).AssertStatus(200);
        var back = (await Get(p))["notiflows"]![later]!;
        Assert.False((bool)back["enabled"]!);
        Assert.Equal(new Dictionary<string, bool> { ["email"] = false }, Types(back["channel_types"]));
    }

    [Theory]
    [MemberData(nameof(PreferenceCases.BadInput), MemberType = typeof(PreferenceCases))]
    public async Task Put_BadInput_Returns422_AndWritesNothing(string body, string field, string reason)
    {
        var p = await ProjectAsync();
        var before = await Get(p);
        // The same bad member next to a valid one: nothing of the request is written.
        var valid = body.Contains("notiflows", StringComparison.Ordinal)
            ? """{"channel_types": {"email": false}, """
            : """{"notiflows": {"orders": {"enabled": false}}, """;

        (await Put(p, body)).AssertError(422, "validation_failed", field, reason);
        (await Put(p, valid + body[1..])).AssertError(422, "validation_failed", field, reason);
        (await Admin(p, HttpMethod.Put, "/admin/v1/users/u1", $$"""{"first_name": "Ann", "preferences": {{body}}}"""))
            .AssertError(422, "validation_failed", "preferences." + field, reason);

        Assert.True(JsonNode.DeepEquals(before, await Get(p)));
        Assert.Null((await Admin(p, HttpMethod.Get, "/admin/v1/users/u1")).AssertStatus(200).Body["first_name"]);
    }

    [Fact]
    public async Task Put_SeveralBadMembers_AreReportedTogether()
    {
        var p = await ProjectAsync();

        var error = (await Put(p, """{"channel_types": {"fax": true, "sms": 3}, "notiflows": {"ghost": {}, "critical": {}, "orders": 1}}"""))
            .AssertError(422, "validation_failed");

        var fields = error["details"]!["fields"]!.AsArray().Select(f => ((string)f!["field"]!, (string)f["reason"]!)).Order().ToList();
        Assert.Equal([("channel_types.fax", "invalid"), ("channel_types.sms", "invalid"), ("notiflows.critical", "not_allowed"),
            ("notiflows.ghost", "invalid"), ("notiflows.orders", "invalid")], fields);
    }

    [Theory]
    [InlineData("{\"channel_types\": ")]
    [InlineData("[]")]
    [InlineData("\"prefs\"")]
    public async Task Put_BodyNotAJsonObject_Returns400InvalidJson(string body)
    {
        var p = await ProjectAsync();

        var error = (await Put(p, body)).AssertError(400, "bad_request");

        Assert.Equal("invalid_json", (string?)error["details"]!["reason"]);
    }

    [Fact]
    public async Task UnknownUser_Returns404User()
    {
        var p = await ProjectAsync();

        var get = (await Admin(p, HttpMethod.Get, "/admin/v1/users/ghost/preferences")).AssertError(404, "not_found");
        var put = (await Put(p, """{"channel_types": {"sms": false}}""", "ghost")).AssertError(404, "not_found");

        Assert.Equal(("user", "ghost"), ((string?)get["details"]!["resource"], (string?)get["details"]!["id"]));
        Assert.Equal(("user", "ghost"), ((string?)put["details"]!["resource"], (string?)put["details"]!["id"]));
        (await Admin(p, HttpMethod.Get, "/admin/v1/users/ghost")).AssertError(404, "not_found");
    }

    [Fact]
    public async Task UserUpsert_WithPreferences_AppliesThem_OnCreateAndOnUpdate()
    {
        var p = await ProjectAsync();
        var orders = await NotiflowId(p, "orders");

        (await Admin(p, HttpMethod.Put, "/admin/v1/users/u2",
            """{"email": "u2@acme.com", "preferences": {"channel_types": {"sms": false}, "notiflows": {"orders": {"channel_types": {"email": false}}}}}"""))
            .AssertStatus(201);
        var created = await Get(p, "u2");
        Assert.Equal(AllTrueExcept("sms"), Types(created["channel_types"]));
        Assert.Equal(new Dictionary<string, bool> { ["email"] = false }, Types(created["notiflows"]![orders]!["channel_types"]));

        var user = (await Admin(p, HttpMethod.Put, "/admin/v1/users/u2", """{"preferences": {"channel_types": {"sms": null, "chat": false}}}"""))
            .AssertStatus(200).Body;
        Assert.False(user.ContainsKey("preferences"));
        var updated = await Get(p, "u2");
        Assert.Equal(AllTrueExcept("chat"), Types(updated["channel_types"]));
        Assert.Equal(new Dictionary<string, bool> { ["email"] = false }, Types(updated["notiflows"]![orders]!["channel_types"]));
        Assert.Equal("u2@acme.com", (string?)user["email"]);
    }

    [Fact]
    public async Task UserUpsert_BadPreferences_RejectsTheWholeRequest()
    {
        var p = await ProjectAsync();

        var error = (await Admin(p, HttpMethod.Put, "/admin/v1/users/new",
            """{"email": "not-an-email", "preferences": {"channel_types": {"sms": false}, "notiflows": {"ghost": {"enabled": false}}}}"""))
            .AssertError(422, "validation_failed", "preferences.notiflows.ghost", "invalid");
        Assert.Equal(2, error["details"]!["fields"]!.AsArray().Count);
        (await Admin(p, HttpMethod.Put, "/admin/v1/users/new", """{"preferences": 5}"""))
            .AssertError(422, "validation_failed", "preferences", "invalid");
        (await Admin(p, HttpMethod.Put, "/admin/v1/users/new", """{"first_name": "New", "preferences": null}"""))
            .AssertError(422, "validation_failed", "preferences", "invalid");

        (await Admin(p, HttpMethod.Get, "/admin/v1/users/new")).AssertError(404, "not_found");
        (await Admin(p, HttpMethod.Get, "/admin/v1/users/new/preferences")).AssertError(404, "not_found");
    }
}

public sealed class SqlitePreferenceTests(SqliteFixture fixture) : PreferenceTests<SqliteFixture>(fixture);

public sealed class PostgresPreferenceTests(PostgresFixture fixture) : PreferenceTests<PostgresFixture>(fixture);
