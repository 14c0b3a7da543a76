using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Management.Projects;

/// <summary>Project settings (§8.2, §5.17) and the allowed-origins rules (§3.4).</summary>
public abstract class ProjectSettingsTests<TFixture>(TFixture fixture) : ApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    private Task<ApiResponse> PutSettings(TestProject p, string body) => Mgmt(HttpMethod.Put, $"{p.Base}/settings", body);

    private async Task<JsonObject> GetSettings(TestProject p) => (await Mgmt(HttpMethod.Get, $"{p.Base}/settings")).AssertStatus(200).Body;

    [Fact]
    public async Task GetSettings_NewProject_HasTheDefaults()
    {
        var p = await NewProjectAsync();
        Assert.True(JsonNode.DeepEquals(Obj("""{"security_mode": true, "allowed_origins": []}"""), await GetSettings(p)));
    }

    [Fact]
    public async Task PutSettings_Partial_LeavesOmittedFieldsUnchanged()
    {
        var p = await NewProjectAsync();
        var updated = (await PutSettings(p, """{"security_mode": false}""")).AssertStatus(200).Body;
        Assert.True(JsonNode.DeepEquals(Obj("""{"security_mode": false, "allowed_origins": []}"""), updated));
        updated = (await PutSettings(p, """{"allowed_origins": ["https://app.example.com"]}""")).AssertStatus(200).Body;
        Assert.True(JsonNode.DeepEquals(Obj("""{"security_mode": false, "allowed_origins": ["https://app.example.com"]}"""), updated));
        Assert.True(JsonNode.DeepEquals(updated, await GetSettings(p)));
        Assert.True(JsonNode.DeepEquals(updated, (await Mgmt(HttpMethod.Get, $"/management/v1/projects/{p.Slug}")).AssertStatus(200).Body["settings"]));
        (await PutSettings(p, "{}")).AssertStatus(200);
        Assert.True(JsonNode.DeepEquals(updated, await GetSettings(p)));
        // null clears to the default (§4.1).
        var cleared = (await PutSettings(p, """{"security_mode": null, "allowed_origins": null}""")).AssertStatus(200).Body;
        Assert.True(JsonNode.DeepEquals(Obj("""{"security_mode": true, "allowed_origins": []}"""), cleared));
    }

    [Fact]
    public async Task PutSettings_AllowedOrigins_AreNormalisedAndDeduplicated()
    {
        var p = await NewProjectAsync();
        var updated = (await PutSettings(p, """
            {"allowed_origins": ["HTTPS://App.Example.COM:443", "https://app.example.com", "http://localhost:3000", "http://127.0.0.1:80",
                                 "https://api.example.com:8443", "http://LOCALHOST:3000"]}
            """)).AssertStatus(200).Body;
        Assert.Equal(
            ["https://app.example.com", "http://localhost:3000", "http://127.0.0.1", "https://api.example.com:8443"],
            updated["allowed_origins"]!.AsArray().Select(o => (string)o!));
        // The list is replaced as a whole.
        var replaced = (await PutSettings(p, """{"allowed_origins": ["https://other.example.com"]}""")).AssertStatus(200).Body;
        Assert.Equal(["https://other.example.com"], replaced["allowed_origins"]!.AsArray().Select(o => (string)o!));
    }

    [Theory]
    [InlineData("http://example.com")]             // http only for localhost and 127.0.0.1
    [InlineData("https://example.com/path")]       // no path
    [InlineData("https://example.com?q=1")]        // no query
    [InlineData("https://example.com#frag")]       // no fragment
    [InlineData("example.com")]                    // no scheme
    [InlineData("ftp://example.com")]
    [InlineData("https://user@example.com")]
    [InlineData("")]
    public async Task PutSettings_BadOrigin_Returns422FormatAtItsIndex(string origin)
    {
        var p = await NewProjectAsync();
        (await PutSettings(p, $$"""{"security_mode": false, "allowed_origins": ["https://ok.example.com", "{{origin}}"]}"""))
            .AssertError(422, "validation_failed", "allowed_origins[1]", "format");
        Assert.True(JsonNode.DeepEquals(Obj("""{"security_mode": true, "allowed_origins": []}"""), await GetSettings(p))); // nothing saved
    }

    [Fact]
    public async Task PutSettings_NonStringOrigin_Returns422()
    {
        var p = await NewProjectAsync();
        (await PutSettings(p, """{"allowed_origins": [42]}""")).AssertError(422, "validation_failed");
        (await PutSettings(p, """{"allowed_origins": "https://app.example.com"}""")).AssertError(422, "validation_failed", "allowed_origins", "invalid");
        (await PutSettings(p, """{"security_mode": "no"}""")).AssertError(422, "validation_failed", "security_mode", "invalid");
    }

    [Fact]
    public async Task PutSettings_MoreThan50Origins_Returns422TooMany()
    {
        var p = await NewProjectAsync();
        string Origins(int n) => "[" + string.Join(",", Enumerable.Range(0, n).Select(i => $"\"https://app{i}.example.com\"")) + "]";
        (await PutSettings(p, $$"""{"allowed_origins": {{Origins(51)}}}""")).AssertError(422, "validation_failed", "allowed_origins", "too_many");
        var fifty = (await PutSettings(p, $$"""{"allowed_origins": {{Origins(50)}}}""")).AssertStatus(200).Body;
        Assert.Equal(50, fifty["allowed_origins"]!.AsArray().Count);
    }
}

public sealed class SqliteProjectSettingsTests(SqliteFixture fixture) : ProjectSettingsTests<SqliteFixture>(fixture);

public sealed class PostgresProjectSettingsTests(PostgresFixture fixture) : ProjectSettingsTests<PostgresFixture>(fixture);
