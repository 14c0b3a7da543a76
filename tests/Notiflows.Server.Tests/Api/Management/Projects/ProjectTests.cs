using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Management.Projects;

/// <summary>Projects of the Management API (§8.1, §5.17). Other tests' projects may exist in the same account.</summary>
public abstract class ProjectTests<TFixture>(TFixture fixture) : ApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    private static string NewSlug() => "p-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task CreateProject_Returns201WithTheSecretKeyOnce()
    {
        var slug = NewSlug();
        var response = (await Mgmt(HttpMethod.Post, "/management/v1/projects", $$"""{"slug": "{{slug}}", "name": "Shop"}""")).AssertStatus(201);
        var created = response.Body;
        Assert.Equal(
            ["id", "slug", "name", "default", "public_key", "secret_key_hint", "signing_key", "settings", "created_at", "updated_at", "secret_key"],
            created.Select(kv => kv.Key));
        Assert.Equal(slug, (string?)created["slug"]);
        Assert.Equal("Shop", (string?)created["name"]);
        Assert.False((bool)created["default"]!);
        var secret = (string)created["secret_key"]!;
        var publicKey = (string)created["public_key"]!;
        Assert.Matches("^sk_[A-Za-z0-9_]{40}$", secret);
        Assert.Matches("^pk_[A-Za-z0-9_]{32}$", publicKey);
        Assert.Equal("sk_…" + secret[^4..], (string?)created["secret_key_hint"]);
        Assert.True(JsonNode.DeepEquals(Obj("""{"configured": false, "public_key_pem": null, "created_at": null}"""), created["signing_key"]));
        Assert.True(JsonNode.DeepEquals(Obj("""{"security_mode": true, "allowed_origins": []}"""), created["settings"]));
        Assert.Equal(Host.Time.GetUtcNow(), DateTimeOffset.Parse((string)created["created_at"]!, System.Globalization.CultureInfo.InvariantCulture));

        // GET shows the same project without the secret.
        var got = (await Mgmt(HttpMethod.Get, $"/management/v1/projects/{slug}")).AssertStatus(200);
        Assert.DoesNotContain(secret, got.Text, StringComparison.Ordinal);
        created.Remove("secret_key");
        Assert.True(JsonNode.DeepEquals(created, got.Body), got.Text);

        // The new keys authenticate the Admin API for this project, which has the built-in channels.
        var channels = (await SendAsync(Host.Admin(publicKey, secret), HttpMethod.Get, "/admin/v1/channels")).AssertStatus(200).Body;
        Assert.Equal(7, channels["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task CreateProject_SlugTaken_Returns422Taken()
    {
        var p = await NewProjectAsync();
        (await Mgmt(HttpMethod.Post, "/management/v1/projects", $$"""{"slug": "{{p.Slug}}", "name": "Again"}"""))
            .AssertError(422, "validation_failed", "slug", "taken");
    }

    [Theory]
    [InlineData("Shop")]
    [InlineData("shop_eu")]
    [InlineData("shop--eu")]
    [InlineData("-shop")]
    [InlineData("shop\\n")] // a trailing newline must not pass the pattern
    [InlineData("")]
    [InlineData("shop-")]
    [InlineData("a-slug-that-is-much-too-long-for-a-project-because-it-is-65-chars")]
    public async Task CreateProject_BadSlug_Returns422Format(string slug)
    {
        // §4.3: the length limit is part of the slug's format.
        (await Mgmt(HttpMethod.Post, "/management/v1/projects", $$"""{"slug": "{{slug}}", "name": "Shop"}"""))
            .AssertError(422, "validation_failed", "slug", "format");
    }

    [Fact]
    public async Task CreateProject_MissingFields_Return422Required()
    {
        (await Mgmt(HttpMethod.Post, "/management/v1/projects", """{"slug": "no-name"}""")).AssertError(422, "validation_failed", "name", "required");
        (await Mgmt(HttpMethod.Post, "/management/v1/projects", """{"name": "No slug"}""")).AssertError(422, "validation_failed", "slug", "required");
        var both = (await Mgmt(HttpMethod.Post, "/management/v1/projects", "")).AssertError(422, "validation_failed", "slug", "required");
        Assert.Equal(2, both["details"]!["fields"]!.AsArray().Count);
        (await Mgmt(HttpMethod.Get, "/management/v1/projects/no-name")).AssertError(404, "not_found");
    }

    [Fact]
    public async Task ListProjects_PageNumberPaging()
    {
        var a = await NewProjectAsync();
        await NewProjectAsync();
        var all = (await Mgmt(HttpMethod.Get, "/management/v1/projects?limit=100")).AssertStatus(200).Body;
        var total = (int)all["page_info"]!["total_count"]!;
        Assert.True(total >= 3); // the bootstrap default project and two of ours
        Assert.Equal(total, all["items"]!.AsArray().Count);
        Assert.Contains(all["items"]!.AsArray(), i => (string?)i!["slug"] == a.Slug);
        Assert.DoesNotContain("secret_key\"", all.ToJsonString(), StringComparison.Ordinal);
        Assert.Single(all["items"]!.AsArray(), i => (bool)i!["default"]!);

        var second = (await Mgmt(HttpMethod.Get, "/management/v1/projects?limit=1&page=2")).AssertStatus(200).Body;
        Assert.Single(second["items"]!.AsArray());
        Assert.True(JsonNode.DeepEquals(all["items"]![1], second["items"]![0]));
        Assert.True(JsonNode.DeepEquals(Obj($$"""{"page": 2, "limit": 1, "total_count": {{total}}, "total_pages": {{total}}}"""), second["page_info"]));
        (await Mgmt(HttpMethod.Get, "/management/v1/projects?limit=x")).AssertError(400, "bad_request");
    }

    [Fact]
    public async Task GetProject_UnknownSlug_Returns404Project()
    {
        foreach (var path in new[] { "", "/settings" })
        {
            var error = (await Mgmt(HttpMethod.Get, $"/management/v1/projects/no-such-project{path}")).AssertError(404, "not_found");
            Assert.Equal("project", (string?)error["details"]!["resource"]);
            Assert.Equal("no-such-project", (string?)error["details"]!["id"]);
            Assert.Equal("https://notiflows.com/docs/api/errors#not_found-404", (string?)error["type"]);
        }
        (await Mgmt(HttpMethod.Patch, "/management/v1/projects/no-such-project", """{"name": "x"}""")).AssertError(404, "not_found");
        (await Mgmt(HttpMethod.Post, "/management/v1/projects/no-such-project/keys/rotate")).AssertError(404, "not_found");
        (await Mgmt(HttpMethod.Post, "/management/v1/projects/no-such-project/signing-key")).AssertError(404, "not_found");
        (await Mgmt(HttpMethod.Put, "/management/v1/projects/no-such-project/settings", "{}")).AssertError(404, "not_found");
    }

    [Fact]
    public async Task PatchProject_Name_Renames()
    {
        var p = await NewProjectAsync();
        var patched = (await Mgmt(HttpMethod.Patch, $"/management/v1/projects/{p.Slug}", """{"name": "Renamed"}""")).AssertStatus(200).Body;
        Assert.Equal("Renamed", (string?)patched["name"]);
        Assert.Equal(p.Slug, (string?)patched["slug"]);
        Assert.Equal(p.PublicKey, (string?)patched["public_key"]);
        Assert.False(patched.ContainsKey("secret_key"));
        Assert.Equal("Renamed", (string?)(await Mgmt(HttpMethod.Get, $"/management/v1/projects/{p.Slug}")).AssertStatus(200).Body["name"]);
        (await Mgmt(HttpMethod.Patch, $"/management/v1/projects/{p.Slug}", """{"name": null}""")).AssertError(422, "validation_failed", "name", "required");
        (await Mgmt(HttpMethod.Patch, $"/management/v1/projects/{p.Slug}", """{"name": ""}""")).AssertError(422, "validation_failed");
    }

    [Fact]
    public async Task PatchProject_DefaultTrue_MovesTheDefault()
    {
        var before = (await Mgmt(HttpMethod.Get, "/management/v1/whoami")).AssertStatus(200).Body;
        var previous = (string)before["default_project"]!["slug"]!;
        var p = await NewProjectAsync();
        try
        {
            var patched = (await Mgmt(HttpMethod.Patch, $"/management/v1/projects/{p.Slug}", """{"default": true}""")).AssertStatus(200).Body;
            Assert.True((bool)patched["default"]!);
            var whoami = (await Mgmt(HttpMethod.Get, "/management/v1/whoami")).AssertStatus(200).Body;
            Assert.Equal(p.Slug, (string?)whoami["default_project"]!["slug"]);
            Assert.Equal([p.Slug], whoami["projects"]!.AsArray().Where(x => (bool)x!["default"]!).Select(x => (string)x!["slug"]!));
            Assert.False((bool)(await Mgmt(HttpMethod.Get, $"/management/v1/projects/{previous}")).AssertStatus(200).Body["default"]!);
            // Unprefixed project-level routes now act on the new default.
            var channels = (await Mgmt(HttpMethod.Put, "/management/v1/channels/only-here", """{"name": "x", "type": "chat", "provider": "discord"}""")).AssertStatus(201);
            Assert.NotNull(channels.Body["id"]);
            (await Mgmt(HttpMethod.Get, $"{p.Base}/channels/only-here")).AssertStatus(200);
            (await Mgmt(HttpMethod.Delete, $"{p.Base}/channels/only-here")).AssertStatus(204);
        }
        finally
        {
            (await Mgmt(HttpMethod.Patch, $"/management/v1/projects/{previous}", """{"default": true}""")).AssertStatus(200);
        }
        Assert.Equal(previous, (string?)(await Mgmt(HttpMethod.Get, "/management/v1/whoami")).AssertStatus(200).Body["default_project"]!["slug"]);
    }

    [Fact]
    public async Task PatchProject_DefaultFalse_Returns422NotAllowed()
    {
        var p = await NewProjectAsync();
        (await Mgmt(HttpMethod.Patch, $"/management/v1/projects/{p.Slug}", """{"default": false}"""))
            .AssertError(422, "validation_failed", "default", "not_allowed");
        var whoami = (await Mgmt(HttpMethod.Get, "/management/v1/whoami")).AssertStatus(200).Body;
        (await Mgmt(HttpMethod.Patch, $"/management/v1/projects/{whoami["default_project"]!["slug"]}", """{"default": false}"""))
            .AssertError(422, "validation_failed", "default", "not_allowed");
    }

    [Fact]
    public async Task CreateProject_DefaultTrue_BecomesTheDefault()
    {
        var previous = (string)(await Mgmt(HttpMethod.Get, "/management/v1/whoami")).AssertStatus(200).Body["default_project"]!["slug"]!;
        var slug = NewSlug();
        try
        {
            var created = (await Mgmt(HttpMethod.Post, "/management/v1/projects", $$"""{"slug": "{{slug}}", "name": "New default", "default": true}"""))
                .AssertStatus(201).Body;
            Assert.True((bool)created["default"]!);
            Assert.Equal(slug, (string?)(await Mgmt(HttpMethod.Get, "/management/v1/whoami")).AssertStatus(200).Body["default_project"]!["slug"]);
        }
        finally
        {
            (await Mgmt(HttpMethod.Patch, $"/management/v1/projects/{previous}", """{"default": true}""")).AssertStatus(200);
        }
    }
}

public sealed class SqliteProjectTests(SqliteFixture fixture) : ProjectTests<SqliteFixture>(fixture);

public sealed class PostgresProjectTests(PostgresFixture fixture) : ProjectTests<PostgresFixture>(fixture);
