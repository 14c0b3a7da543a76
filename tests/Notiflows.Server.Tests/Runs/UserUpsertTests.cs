using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Runs;

/// <summary>User get and upsert (§5.1, §6.1): the same user attributes and merge rules that run recipients use.</summary>
public abstract class UserUpsertTests<TFixture>(TFixture fixture) : RunTestBase<TFixture>(fixture) where TFixture : HostFixture
{
    [Fact]
    public async Task Put_Creates201_ThenUpdates200()
    {
        var p = await NewProjectAsync();

        var created = (await PutUser(p, "user_1", """{"email": "a@example.com", "first_name": "A"}""")).AssertStatus(201).Body;
        var updated = (await PutUser(p, "user_1", """{"last_name": "B"}""")).AssertStatus(200).Body;

        Assert.Equal((string?)created["id"], (string?)updated["id"]);
        Assert.Equal(("user_1", "a@example.com", "A", "B"),
            ((string?)updated["external_id"], (string?)updated["email"], (string?)updated["first_name"], (string?)updated["last_name"]));
        var got = (await GetUser(p, "user_1")).AssertStatus(200).Body;
        Assert.True(JsonNode.DeepEquals(updated, got), got.ToJsonString());
        foreach (var field in new[] { "id", "external_id", "email", "phone", "first_name", "last_name", "avatar", "locale", "timezone", "custom_fields",
                     "created_at", "updated_at" })
        {
            Assert.True(got.ContainsKey(field), field);
        }
    }

    [Fact]
    public async Task Get_Unknown_Returns404User()
    {
        var p = await NewProjectAsync();

        var error = (await GetUser(p, "nobody")).AssertError(404, "not_found");

        Assert.Equal(("user", "nobody"), ((string?)error["details"]!["resource"], (string?)error["details"]!["id"]));
    }

    [Fact]
    public async Task Put_EmptyBody_CreatesBareUser()
    {
        var p = await NewProjectAsync();

        var created = (await Admin(p, HttpMethod.Put, "/admin/v1/users/bare")).AssertStatus(201).Body;

        Assert.Null(created["email"]);
        Assert.Equal("{}", created["custom_fields"]!.ToJsonString());
    }

    [Fact]
    public async Task Put_NullClears_OmittedStays()
    {
        var p = await NewProjectAsync();
        (await PutUser(p, "u", """{"email": "a@example.com", "phone": "+15551234567", "locale": "fr", "custom_fields": {"a": 1}}""")).AssertStatus(201);

        var updated = (await PutUser(p, "u", """{"email": null, "custom_fields": null}""")).AssertStatus(200).Body;

        Assert.Null(updated["email"]);
        Assert.Equal(("+15551234567", "fr"), ((string?)updated["phone"], (string?)updated["locale"]));
        Assert.Equal("{}", updated["custom_fields"]!.ToJsonString());
    }

    public static TheoryData<string, string, string> BadAttributes => new()
    {
        { """{"email": "nope"}""", "email", "format" },
        { "{\"email\": \"" + new string('a', 250) + "@example.com\"}", "email", "too_long" },
        { """{"email": 5}""", "email", "invalid" },
        { """{"phone": "+0123"}""", "phone", "format" },
        { """{"phone": "+1234567890123456"}""", "phone", "format" },
        { """{"first_name": true}""", "first_name", "invalid" },
        { "{\"first_name\": \"" + new string('a', 256) + "\"}", "first_name", "too_long" },
        { "{\"last_name\": \"" + new string('a', 256) + "\"}", "last_name", "too_long" },
        { """{"avatar": "mailto:a@example.com"}""", "avatar", "format" },
        { """{"avatar": "example.com/a.png"}""", "avatar", "format" },
        { "{\"avatar\": \"https://example.com/" + new string('a', 2048) + "\"}", "avatar", "too_long" },
        { """{"locale": "english"}""", "locale", "format" },
        { """{"locale": "en US"}""", "locale", "format" },
        { """{"timezone": "Europe/Nowhere"}""", "timezone", "invalid" },
        { """{"timezone": 1}""", "timezone", "invalid" },
        { """{"custom_fields": "x"}""", "custom_fields", "invalid" },
        { """{"custom_fields": [1]}""", "custom_fields", "invalid" },
        { "{\"custom_fields\": {\"big\": \"" + new string('x', 64 * 1024) + "\"}}", "custom_fields", "too_long" },
        { """{"external_id": "someone-else"}""", "external_id", "invalid" },
        { """{"external_id": 5}""", "external_id", "invalid" },
    };

    [Theory]
    [MemberData(nameof(BadAttributes))]
    public async Task Put_InvalidAttribute_Returns422NamingTheField_AndStoresNothing(string body, string field, string reason)
    {
        var p = await NewProjectAsync();

        (await PutUser(p, "u", body)).AssertError(422, "validation_failed", field, reason);

        (await GetUser(p, "u")).AssertError(404, "not_found");
    }

    [Fact]
    public async Task Put_InvalidAttributeOnExistingUser_ChangesNothing()
    {
        var p = await NewProjectAsync();
        var created = (await PutUser(p, "u", """{"first_name": "A"}""")).AssertStatus(201).Body;

        (await PutUser(p, "u", """{"first_name": "B", "email": "bad"}""")).AssertError(422, "validation_failed", "email", "format");

        Assert.True(JsonNode.DeepEquals(created, (await GetUser(p, "u")).AssertStatus(200).Body));
    }

    [Fact]
    public async Task Put_BodyExternalIdEqualToPath_IsAccepted()
    {
        var p = await NewProjectAsync();

        (await PutUser(p, "same", """{"external_id": "same", "first_name": "S"}""")).AssertStatus(201);
    }

    [Theory]
    [InlineData("a%2Fb", "format")]
    [InlineData("a%07b", "format")]
    public async Task Put_InvalidPathExternalId_Returns422(string encoded, string reason)
    {
        var p = await NewProjectAsync();

        (await Admin(p, HttpMethod.Put, $"/admin/v1/users/{encoded}", "{}")).AssertError(422, "validation_failed", "external_id", reason);
    }

    [Fact]
    public async Task Put_PathExternalIdTooLong_Returns422()
    {
        var p = await NewProjectAsync();

        (await PutUser(p, new string('u', 256), "{}")).AssertError(422, "validation_failed", "external_id", "too_long");
        (await PutUser(p, new string('u', 255), "{}")).AssertStatus(201);
    }

    [Fact]
    public async Task Put_CustomFields_DeepMerge()
    {
        var p = await NewProjectAsync();
        (await PutUser(p, "u", """{"custom_fields": {"plan": {"tier": "free", "limits": {"seats": 1, "projects": 2}}, "tags": ["a", "b"], "drop": 1, "n": 1}}"""))
            .AssertStatus(201);

        var updated = (await PutUser(p, "u", """
            {"custom_fields": {"plan": {"limits": {"seats": 5, "projects": null}, "since": "2024"}, "tags": ["c"], "drop": null, "n": {"x": 1},
                               "fresh": {"a": null, "b": 2}}}
            """)).AssertStatus(200).Body;

        Assert.True(JsonNode.DeepEquals(
            Obj("""{"plan": {"tier": "free", "limits": {"seats": 5}, "since": "2024"}, "tags": ["c"], "n": {"x": 1}, "fresh": {"b": 2}}"""),
            updated["custom_fields"]), updated.ToJsonString());
    }

    [Fact]
    public async Task Put_UpdatedAt_ChangesOnlyWhenSomethingChanged()
    {
        var p = await NewProjectAsync();
        var created = (await PutUser(p, "u", """{"first_name": "A", "custom_fields": {"a": {"b": [1, 2]}, "c": "d"}}""")).AssertStatus(201).Body;
        Assert.Equal((string?)created["created_at"], (string?)created["updated_at"]);
        Host.Time.Advance(TimeSpan.FromMinutes(1));

        var same = (await PutUser(p, "u", """{"first_name": "A", "custom_fields": {"c": "d", "a": {"b": [1, 2]}}, "missing": null}""")).AssertStatus(200).Body;
        var empty = (await PutUser(p, "u", "{}")).AssertStatus(200).Body;
        var noKey = (await PutUser(p, "u", """{"custom_fields": {"gone": null}}""")).AssertStatus(200).Body;
        Assert.Equal((string?)created["updated_at"], (string?)same["updated_at"]);
        Assert.Equal((string?)created["updated_at"], (string?)empty["updated_at"]);
        Assert.Equal((string?)created["updated_at"], (string?)noKey["updated_at"]);
        Host.Time.Advance(TimeSpan.FromMinutes(1));

        var changed = (await PutUser(p, "u", """{"first_name": "B"}""")).AssertStatus(200).Body;
        Assert.Equal(Host.Time.GetUtcNow(), DateTimeOffset.Parse((string)changed["updated_at"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((string?)created["created_at"], (string?)changed["created_at"]);
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        var merged = (await PutUser(p, "u", """{"custom_fields": {"a": {"e": 1}}}""")).AssertStatus(200).Body;
        Assert.Equal(Host.Time.GetUtcNow(), DateTimeOffset.Parse((string)merged["updated_at"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Users_AreScopedPerProject()
    {
        var p1 = await NewProjectAsync();
        var p2 = await NewProjectAsync();
        (await PutUser(p1, "u", """{"first_name": "One"}""")).AssertStatus(201);

        (await GetUser(p2, "u")).AssertError(404, "not_found");
        (await PutUser(p2, "u", """{"first_name": "Two"}""")).AssertStatus(201);
        Assert.Equal("One", (string?)(await GetUser(p1, "u")).AssertStatus(200).Body["first_name"]);
    }
}

public sealed class SqliteUserUpsertTests(SqliteFixture fixture) : UserUpsertTests<SqliteFixture>(fixture);

public sealed class PostgresUserUpsertTests(PostgresFixture fixture) : UserUpsertTests<PostgresFixture>(fixture);
