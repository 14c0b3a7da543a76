using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Management.Notiflows;

/// <summary>Path aliases, project resolution (§2, §3.5) and trailing slashes on the notiflow routes.</summary>
public abstract class NotiflowRoutingTests<TFixture>(TFixture fixture) : NotiflowApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    private static Dictionary<string, string> ProjectHeader(string slug) => new() { ["x-notiflows-project"] = slug };

    [Fact]
    public async Task ApiAlias_ServesTheSameHandlers()
    {
        var p = await NewProjectAsync();

        var created = (await Mgmt(HttpMethod.Put, $"/api{p.Base}/notiflows/aliased", """{"name": "A"}""")).AssertStatus(201).Body;
        var got = (await GetFlow(p, "aliased")).AssertStatus(200).Body;
        (await Mgmt(HttpMethod.Post, $"/api{p.Base}/notiflows/aliased/publish")).AssertStatus(200);
        var versions = (await Mgmt(HttpMethod.Get, $"/api/management/v1/notiflows/aliased/versions", headers: ProjectHeader(p.Slug))).AssertStatus(200).Body;

        Assert.Equal((string?)created["id"], (string?)got["id"]);
        Assert.Single(versions["items"]!.AsArray());
        var error = (await Mgmt(HttpMethod.Get, $"/api{p.Base}/notiflows/ghost")).AssertError(404, "not_found");
        Assert.Equal("https://notiflows.com/docs/api/errors#not_found-404", (string?)error["type"]);
    }

    [Fact]
    public async Task Unprefixed_WithHeaderOrQuery_UsesThatProject()
    {
        var p = await NewProjectAsync();
        var created = await CreateFlowAsync(p, "scoped");

        var byHeader = (await Mgmt(HttpMethod.Get, "/management/v1/notiflows/scoped", headers: ProjectHeader(p.Slug))).AssertStatus(200).Body;
        var byQuery = (await Mgmt(HttpMethod.Get, $"/management/v1/notiflows/scoped?project={p.Slug}")).AssertStatus(200).Body;
        (await Mgmt(HttpMethod.Put, $"/management/v1/notiflows/by-query?project={p.Slug}", """{"name": "Q"}""")).AssertStatus(201);
        (await Mgmt(HttpMethod.Put, "/management/v1/notiflows/by-header", """{"name": "H"}""", ProjectHeader(p.Slug))).AssertStatus(201);

        Assert.Equal((string?)created["id"], (string?)byHeader["id"]);
        Assert.Equal((string?)created["id"], (string?)byQuery["id"]);
        (await GetFlow(p, "by-query")).AssertStatus(200);
        (await GetFlow(p, "by-header")).AssertStatus(200);
    }

    [Fact]
    public async Task Unprefixed_HeaderWinsOverQuery()
    {
        var p = await NewProjectAsync();
        var other = await NewProjectAsync();
        await CreateFlowAsync(p, "here");

        (await Mgmt(HttpMethod.Get, $"/management/v1/notiflows/here?project={other.Slug}", headers: ProjectHeader(p.Slug))).AssertStatus(200);
        (await Mgmt(HttpMethod.Get, $"/management/v1/notiflows/here?project={p.Slug}", headers: ProjectHeader(other.Slug))).AssertError(404, "not_found");
    }

    [Fact]
    public async Task Unprefixed_WithoutProject_UsesTheDefaultProject()
    {
        var handle = "default-" + Guid.NewGuid().ToString("N")[..10];

        (await Mgmt(HttpMethod.Put, $"/management/v1/notiflows/{handle}", """{"name": "D"}""")).AssertStatus(201);

        (await Mgmt(HttpMethod.Get, $"/management/v1/projects/default/notiflows/{handle}")).AssertStatus(200);
        (await Mgmt(HttpMethod.Get, $"/api/management/v1/notiflows/{handle}")).AssertStatus(200);
    }

    [Fact]
    public async Task CanonicalPath_WinsOverADisagreeingHeader()
    {
        var p = await NewProjectAsync();
        var other = await NewProjectAsync();
        await CreateFlowAsync(p, "mine");

        (await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/mine", headers: ProjectHeader(other.Slug))).AssertStatus(200);
        (await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/mine", headers: ProjectHeader("no-such-project"))).AssertStatus(200);
        (await Mgmt(HttpMethod.Put, $"{p.Base}/notiflows/placed", """{"name": "P"}""", ProjectHeader(other.Slug))).AssertStatus(201);
        (await GetFlow(other, "placed")).AssertError(404, "not_found");
        (await GetFlow(p, "placed")).AssertStatus(200);
    }

    [Theory]
    [InlineData("path")]
    [InlineData("header")]
    [InlineData("query")]
    public async Task UnknownProjectSlug_Returns404Project(string form)
    {
        const string slug = "no-such-project";

        var response = form switch
        {
            "path" => await Mgmt(HttpMethod.Get, $"/management/v1/projects/{slug}/notiflows"),
            "header" => await Mgmt(HttpMethod.Get, "/management/v1/notiflows", headers: ProjectHeader(slug)),
            _ => await Mgmt(HttpMethod.Put, $"/management/v1/notiflows/x?project={slug}", """{"name": "X"}"""),
        };

        var error = response.AssertError(404, "not_found");
        Assert.Equal("project", (string?)error["details"]!["resource"]);
        Assert.Equal(slug, (string?)error["details"]!["id"]);
    }

    [Fact]
    public async Task TrailingSlash_IsIgnored()
    {
        var p = await NewProjectAsync();

        (await Mgmt(HttpMethod.Put, $"{p.Base}/notiflows/slashed/", """{"name": "S"}""")).AssertStatus(201);
        (await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/slashed/")).AssertStatus(200);
        var list = (await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/")).AssertStatus(200).Body;
        (await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/slashed/publish/")).AssertStatus(200);
        (await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/slashed/versions/1/")).AssertStatus(200);
        (await Mgmt(HttpMethod.Get, $"/management/v1/notiflows/slashed/?project={p.Slug}")).AssertStatus(200);

        Assert.Single(list["items"]!.AsArray());
    }

    [Fact]
    public async Task UnsupportedMethod_Returns405()
    {
        var p = await NewProjectAsync();
        await CreateFlowAsync(p, "flow");

        var error = (await Mgmt(HttpMethod.Delete, $"{p.Base}/notiflows/flow")).AssertError(405, "method_not_allowed");

        Assert.NotNull(error["details"]!["allowed_methods"]);
    }
}

public sealed class SqliteNotiflowRoutingTests(SqliteFixture fixture) : NotiflowRoutingTests<SqliteFixture>(fixture);

public sealed class PostgresNotiflowRoutingTests(PostgresFixture fixture) : NotiflowRoutingTests<PostgresFixture>(fixture);
