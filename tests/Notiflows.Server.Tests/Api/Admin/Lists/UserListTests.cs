using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Admin.Lists;

/// <summary><c>GET /users</c> and <c>GET /users/{user_id}/subscriptions</c> (§6.1, §6.2).</summary>
public abstract class UserListTests<TFixture>(TFixture fixture) : ListTestBase<TFixture>(fixture) where TFixture : HostFixture
{
    private const string UserFields =
        "id external_id email phone first_name last_name avatar locale timezone custom_fields created_at updated_at";

    [Fact]
    public async Task ListUsers_EveryDocumentedField_NewestFirst_WithCreatedWindow()
    {
        var p = await NewProjectAsync();
        (await PutUser(p, "first", """{"email": "first@acme.com", "custom_fields": {"plan": "pro"}}""")).AssertStatus(201);
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        (await PutUser(p, "second", "{}")).AssertStatus(201);
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        (await PutUser(p, "third", "{}")).AssertStatus(201);

        var body = (await Get(p, "/users")).AssertStatus(200).Body;
        AssertFields(body, "items page");
        AssertFields(body["page"]!.AsObject(), PageFields);
        var items = body["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        Assert.Equal(["third", "second", "first"], items.Select(u => (string)u["external_id"]!));
        Assert.All(items, u => AssertFields(u, UserFields));
        Assert.Equal((await GetUser(p, "first")).AssertStatus(200).Body.ToJsonString(), items[2].ToJsonString());

        var second = Uri.EscapeDataString((string)items[1]["created_at"]!);
        Assert.Equal(["third"], (await Items(p, $"/users?created_after={second}")).Select(u => (string)u["external_id"]!));
        Assert.Equal(["first"], (await Items(p, $"/users?created_before={second}")).Select(u => (string)u["external_id"]!));
        Assert.Equal(["third", "second", "first"], (await Items(p, "/users?created_after=2000-01-01T00:00:00Z&created_before=2999-01-01T00:00:00Z"))
            .Select(u => (string)u["external_id"]!));
        Assert.Empty(await Items(p, "/users?created_after=2999-01-01T00:00:00%2B02:00"));
        Assert.Empty(await Items(await NewProjectAsync(), "/users"));
        AssertBadParam(await Get(p, "/users?created_after=01/02/2024"), "created_after");
        AssertBadParam(await Get(p, "/users?created_before=2024-01-01T00:00:00"), "created_before");
    }

    [Fact]
    public async Task ListUsers_ExtremeCreatedBounds_AreNotAnError()
    {
        var p = await NewProjectAsync();
        (await PutUser(p, "only", "{}")).AssertStatus(201);
        Assert.Single(await Items(p, "/users?created_after=0001-01-01T00:00:00Z&created_before=9999-12-31T23:59:59Z"));
    }

    [Fact]
    public async Task ListUserSubscriptions_NewestFirst_AsTopicSubscriptionsShowThem()
    {
        var p = await NewProjectAsync();
        (await PutUser(p, "alice", "{}")).AssertStatus(201);
        (await PutUser(p, "bob", "{}")).AssertStatus(201);
        foreach (var topic in new[] { "a", "b", "c" })
        {
            (await Admin(p, HttpMethod.Post, "/admin/v1/users/alice/subscriptions", $$"""{"topic_name": "{{topic}}"}""")).AssertStatus(201);
            Host.Time.Advance(TimeSpan.FromSeconds(1));
        }
        (await Admin(p, HttpMethod.Post, "/admin/v1/users/bob/subscriptions", """{"topic_name": "a"}""")).AssertStatus(201);

        var body = (await Get(p, "/users/alice/subscriptions")).AssertStatus(200).Body;
        AssertFields(body["page"]!.AsObject(), PageFields);
        var items = body["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        Assert.Equal(["c", "b", "a"], items.Select(s => (string)s["topic_name"]!));
        Assert.All(items, s => AssertFields(s, "id topic_name user_id user_external_id created_at"));
        Assert.All(items, s => Assert.Equal("alice", (string?)s["user_external_id"]));
        var viaTopic = (await Items(p, "/topics/a/subscriptions")).Single(s => (string?)s["user_external_id"] == "alice");
        Assert.Equal(viaTopic.ToJsonString(), items[2].ToJsonString());
        Assert.Equal(["a"], (await Items(p, "/users/bob/subscriptions")).Select(s => (string)s["topic_name"]!));

        (await PutUser(p, "carol", "{}")).AssertStatus(201);
        Assert.Empty(await Items(p, "/users/carol/subscriptions"));
        AssertNotFound(await Get(p, "/users/nobody/subscriptions"), "user", "nobody");
        AssertNotFound(await Get(await NewProjectAsync(), "/users/alice/subscriptions"), "user", "alice");
    }
}

public sealed class SqliteUserListTests(SqliteFixture fixture) : UserListTests<SqliteFixture>(fixture);

public sealed class PostgresUserListTests(PostgresFixture fixture) : UserListTests<PostgresFixture>(fixture);
