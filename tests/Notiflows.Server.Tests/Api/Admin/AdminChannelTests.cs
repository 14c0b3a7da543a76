using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Admin;

/// <summary>The Admin API's read-only channels (§6.10) with cursor paging (§4.8) and project-key auth (§3.2, §3.7).</summary>
public abstract class AdminChannelTests<TFixture>(TFixture fixture) : ApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    // Built-ins are created in §14.1 order, so newest first is the reverse.
    private static readonly string[] NewestFirst =
        ["webhook-sandbox", "chat-sandbox", "web-push-sandbox", "mobile-push-sandbox", "sms-sandbox", "email-sandbox", "in-app"];

    private Task<ApiResponse> Admin(TestProject p, string path) => SendAsync(Host.Admin(p.PublicKey, p.SecretKey), HttpMethod.Get, path);

    private static List<string> Handles(JsonObject page) => [.. page["items"]!.AsArray().Select(c => (string)c!["handle"]!)];

    [Fact]
    public async Task ListChannels_NewestFirstWithoutConfig()
    {
        var p = await NewProjectAsync();
        var page = (await Admin(p, "/admin/v1/channels")).AssertStatus(200).Body;
        Assert.Equal(NewestFirst, Handles(page));
        Assert.All(page["items"]!.AsArray(), c => Assert.Equal(
            ["id", "handle", "name", "type", "provider", "default", "built_in", "fallback_channel", "created_at", "updated_at"],
            c!.AsObject().Select(kv => kv.Key)));
        var info = page["page"]!.AsObject();
        Assert.Equal(25, (int)info["limit"]!);
        Assert.False((bool)info["has_more_after"]!);
        Assert.False((bool)info["has_more_before"]!);
        Assert.NotNull(info["after"]);
        Assert.NotNull(info["before"]);
    }

    [Fact]
    public async Task ListChannels_CursorPaging_WalksBothWays()
    {
        var p = await NewProjectAsync();
        var first = (await Admin(p, "/admin/v1/channels?limit=3")).AssertStatus(200).Body;
        Assert.Equal(NewestFirst[..3], Handles(first));
        Assert.True((bool)first["page"]!["has_more_after"]!);
        Assert.False((bool)first["page"]!["has_more_before"]!);
        Assert.Equal(3, (int)first["page"]!["limit"]!);

        var second = (await Admin(p, $"/admin/v1/channels?limit=3&after={first["page"]!["after"]}")).AssertStatus(200).Body;
        Assert.Equal(NewestFirst[3..6], Handles(second));
        Assert.True((bool)second["page"]!["has_more_after"]!);
        Assert.True((bool)second["page"]!["has_more_before"]!);

        var third = (await Admin(p, $"/admin/v1/channels?limit=3&after={second["page"]!["after"]}")).AssertStatus(200).Body;
        Assert.Equal(NewestFirst[6..], Handles(third));
        Assert.False((bool)third["page"]!["has_more_after"]!);
        Assert.True((bool)third["page"]!["has_more_before"]!);

        var back = (await Admin(p, $"/admin/v1/channels?limit=3&before={second["page"]!["before"]}")).AssertStatus(200).Body;
        Assert.Equal(NewestFirst[..3], Handles(back));
        Assert.False((bool)back["page"]!["has_more_before"]!);
        Assert.True((bool)back["page"]!["has_more_after"]!);
    }

    [Fact]
    public async Task ListChannels_BeforeWithALargeLimit_ReturnsOnlyTheNewerItems()
    {
        var p = await NewProjectAsync();
        var two = (await Admin(p, "/admin/v1/channels?limit=2")).AssertStatus(200).Body;
        // The cursor of the second item: only the first is newer.
        var page = (await Admin(p, $"/admin/v1/channels?limit=10&before={two["page"]!["after"]}")).AssertStatus(200).Body;
        Assert.Equal(NewestFirst[..1], Handles(page));
        Assert.False((bool)page["page"]!["has_more_before"]!);
        Assert.True((bool)page["page"]!["has_more_after"]!);

        var newest = (await Admin(p, $"/admin/v1/channels?before={two["page"]!["before"]}")).AssertStatus(200).Body;
        Assert.Empty(newest["items"]!.AsArray());
        Assert.Null(newest["page"]!["after"]);
        Assert.Null(newest["page"]!["before"]);
        Assert.False((bool)newest["page"]!["has_more_before"]!);
    }

    [Fact]
    public async Task ListChannels_TypeFilter_AndCursorsBoundToTheirFilter()
    {
        var p = await NewProjectAsync();
        (await Mgmt(HttpMethod.Put, $"{p.Base}/channels/smtp",
            """{"name": "SMTP", "type": "email", "provider": "smtp", "config": {"host": "smtp.example.com", "from_email": "a@example.com"}}""")).AssertStatus(201);
        var emails = (await Admin(p, "/admin/v1/channels?type=email&limit=1")).AssertStatus(200).Body;
        Assert.Equal(["smtp"], Handles(emails));
        Assert.True((bool)emails["page"]!["has_more_after"]!);
        var next = (await Admin(p, $"/admin/v1/channels?type=email&limit=1&after={emails["page"]!["after"]}")).AssertStatus(200).Body;
        Assert.Equal(["email-sandbox"], Handles(next));
        Assert.False((bool)next["page"]!["has_more_after"]!);

        AssertInvalidParam(await Admin(p, $"/admin/v1/channels?limit=1&after={emails["page"]!["after"]}"), "after");
        AssertInvalidParam(await Admin(p, "/admin/v1/channels?type=fax"), "type");
    }

    [Fact]
    public async Task ListChannels_BadPagingParams_Return400InvalidParam()
    {
        var p = await NewProjectAsync();
        var first = (await Admin(p, "/admin/v1/channels?limit=1")).AssertStatus(200).Body;
        var cursor = (string)first["page"]!["after"]!;
        AssertInvalidParam(await Admin(p, "/admin/v1/channels?limit=0"), "limit");
        AssertInvalidParam(await Admin(p, "/admin/v1/channels?limit=abc"), "limit");
        AssertInvalidParam(await Admin(p, "/admin/v1/channels?after=not-a-cursor"), "after");
        AssertInvalidParam(await Admin(p, "/admin/v1/channels?before=not-a-cursor"), "before");
        var both = (await Admin(p, $"/admin/v1/channels?after={cursor}&before={cursor}")).AssertError(400, "bad_request");
        Assert.Equal("invalid_param", (string?)both["details"]!["reason"]);
        var clamped = (await Admin(p, "/admin/v1/channels?limit=5000")).AssertStatus(200).Body;
        Assert.Equal(1000, (int)clamped["page"]!["limit"]!);

        // A cursor of another project is refused.
        var other = await NewProjectAsync();
        AssertInvalidParam(await Admin(other, $"/admin/v1/channels?after={cursor}"), "after");
    }

    [Fact]
    public async Task GetChannel_ByHandleAndId_WithoutConfig()
    {
        var p = await NewProjectAsync();
        var byHandle = (await Admin(p, "/admin/v1/channels/email-sandbox")).AssertStatus(200).Body;
        Assert.False(byHandle.ContainsKey("config"));
        Assert.Equal("email", (string?)byHandle["type"]);
        var id = (string)byHandle["id"]!;
        Assert.True(JsonNode.DeepEquals(byHandle, (await Admin(p, $"/admin/v1/channels/{id}")).AssertStatus(200).Body));
        var management = (await Mgmt(HttpMethod.Get, $"{p.Base}/channels/email-sandbox")).AssertStatus(200).Body;
        management.Remove("config");
        Assert.True(JsonNode.DeepEquals(management, byHandle));

        var missing = (await Admin(p, "/admin/v1/channels/nope")).AssertError(404, "not_found");
        Assert.Equal("channel", (string?)missing["details"]!["resource"]);
        Assert.Equal("https://docs.notiflows.com/errors/not_found", (string?)missing["type"]);
        (await Admin(p, $"/admin/v1/channels/{Guid.CreateVersion7()}")).AssertError(404, "not_found");
    }

    [Fact]
    public async Task Aliases_ReturnTheSameAsTheCanonicalPath()
    {
        var p = await NewProjectAsync();
        var canonical = (await Admin(p, "/admin/v1/channels")).AssertStatus(200).Body;
        Assert.True(JsonNode.DeepEquals(canonical, (await Admin(p, "/admin/channels")).AssertStatus(200).Body));
        Assert.True(JsonNode.DeepEquals(canonical, (await Admin(p, "/api/admin/v1/channels")).AssertStatus(200).Body));
        var one = (await Admin(p, "/admin/v1/channels/in-app")).AssertStatus(200).Body;
        Assert.True(JsonNode.DeepEquals(one, (await Admin(p, "/admin/channels/in-app")).AssertStatus(200).Body));
        Assert.True(JsonNode.DeepEquals(one, (await Admin(p, "/api/admin/v1/channels/in-app")).AssertStatus(200).Body));
    }

    [Fact]
    public async Task Auth_NoSecretKey_Returns401SecretKey()
    {
        var p = await NewProjectAsync();
        AssertAuth(await SendAsync(Host.CreateClient(), HttpMethod.Get, "/admin/v1/channels"), "secret_key");
        AssertAuth(await SendAsync(Host.CreateClient(), HttpMethod.Get, "/admin/v1/channels",
            headers: new Dictionary<string, string> { ["x-notiflows-api-key"] = p.PublicKey }), "secret_key");
    }

    [Fact]
    public async Task Auth_UnknownSecretKey_Returns401SecretKey()
    {
        var p = await NewProjectAsync();
        AssertAuth(await SendAsync(Host.Admin(p.PublicKey, "sk_" + new string('x', 40)), HttpMethod.Get, "/admin/v1/channels"), "secret_key");
        AssertAuth(await SendAsync(Host.Admin(p.PublicKey, "not-a-key"), HttpMethod.Get, "/admin/v1/channels"), "secret_key");
        // Only the secret key: it names the project.
        (await SendAsync(Host.CreateClient(), HttpMethod.Get, "/admin/v1/channels",
            headers: new Dictionary<string, string> { ["x-notiflows-secret-key"] = p.SecretKey })).AssertStatus(200);
    }

    [Fact]
    public async Task Auth_UnknownPublicKey_Returns401ApiKeyBeforeCheckingTheSecretKey()
    {
        var p = await NewProjectAsync();
        AssertAuth(await SendAsync(Host.Admin("pk_" + new string('x', 32), p.SecretKey), HttpMethod.Get, "/admin/v1/channels"), "api_key");
        AssertAuth(await SendAsync(Host.Admin("pk_" + new string('x', 32), "sk_" + new string('y', 40)), HttpMethod.Get, "/admin/v1/channels"), "api_key");
        AssertAuth(await SendAsync(Host.CreateClient(), HttpMethod.Get, "/admin/v1/channels",
            headers: new Dictionary<string, string> { ["x-notiflows-api-key"] = "pk_" + new string('x', 32) }), "api_key");
    }

    [Fact]
    public async Task Auth_KeysOfDifferentProjects_Return403WrongProject()
    {
        var a = await NewProjectAsync();
        var b = await NewProjectAsync();
        var error = (await SendAsync(Host.Admin(a.PublicKey, b.SecretKey), HttpMethod.Get, "/admin/v1/channels")).AssertError(403, "forbidden");
        Assert.Equal("wrong_project", (string?)error["details"]!["reason"]);
        Assert.Equal("https://docs.notiflows.com/errors/forbidden", (string?)error["type"]);
    }

    [Fact]
    public async Task ProjectKeys_NeverSeeAnotherProjectsChannels()
    {
        var a = await NewProjectAsync();
        var b = await NewProjectAsync();
        (await Mgmt(HttpMethod.Put, $"{b.Base}/channels/only-in-b",
            """{"name": "B", "type": "chat", "provider": "discord"}""")).AssertStatus(201);
        var idInB = (string)(await Admin(b, "/admin/v1/channels/only-in-b")).AssertStatus(200).Body["id"]!;
        var builtInOfB = (string)(await Admin(b, "/admin/v1/channels/in-app")).AssertStatus(200).Body["id"]!;
        (await Admin(a, $"/admin/v1/channels/{idInB}")).AssertError(404, "not_found");
        (await Admin(a, $"/admin/v1/channels/{builtInOfB}")).AssertError(404, "not_found");
        (await Admin(a, "/admin/v1/channels/only-in-b")).AssertError(404, "not_found");
        var listed = (await Admin(a, "/admin/v1/channels")).AssertStatus(200).Body;
        Assert.Equal(NewestFirst, Handles(listed));
        Assert.DoesNotContain(builtInOfB, listed.ToJsonString(), StringComparison.Ordinal);
    }

    private static void AssertAuth(ApiResponse response, string auth)
    {
        var error = response.AssertError(401, "unauthenticated");
        Assert.Equal(auth, (string?)error["details"]!["auth"]);
        Assert.Equal("https://docs.notiflows.com/errors/unauthenticated", (string?)error["type"]);
    }

    private static void AssertInvalidParam(ApiResponse response, string param)
    {
        var error = response.AssertError(400, "bad_request");
        Assert.Equal("invalid_param", (string?)error["details"]!["reason"]);
        Assert.Equal(param, (string?)error["details"]!["param"]);
    }
}

public sealed class SqliteAdminChannelTests(SqliteFixture fixture) : AdminChannelTests<SqliteFixture>(fixture);

public sealed class PostgresAdminChannelTests(PostgresFixture fixture) : AdminChannelTests<PostgresFixture>(fixture);
