using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Sdk;

/// <summary>The JavaScript SDK is served under <c>/sdk/</c> as is: JavaScript, cacheable, revalidated by ETag, readable cross-origin.</summary>
public abstract class SdkEndpointsTests<TFixture>(TFixture fixture) : ApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    [Theory]
    [InlineData("notiflows.js", "export class Notiflows")]
    [InlineData("notiflows-inbox.js", "customElements.define(\"notiflows-inbox\"")]
    public async Task SdkFile_IsServedAsJavaScriptWithCacheHeaders(string file, string content)
    {
        var response = (await Get($"/sdk/{file}")).AssertStatus(200);
        Assert.Equal("text/javascript; charset=utf-8", response.Header("Content-Type"));
        Assert.Equal("public, must-revalidate, max-age=300", response.Header("Cache-Control"));
        Assert.Equal("*", response.Header("Access-Control-Allow-Origin"));
        Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
        Assert.Matches("^\"[0-9a-f]{32}\"$", response.Header("ETag"));
        Assert.Contains(content, response.Text, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllTextAsync(SourceOf(file), Ct), response.Text);
    }

    [Fact]
    public async Task SdkFile_WithMatchingETag_Is304WithoutBody()
    {
        var etag = (await Get("/sdk/notiflows.js")).AssertStatus(200).Header("ETag")!;
        foreach (var ifNoneMatch in new[] { etag, "W/" + etag, "\"other\", " + etag, "*" })
        {
            var response = (await Get("/sdk/notiflows.js", ifNoneMatch)).AssertStatus(304);
            Assert.Equal("", response.Text);
            Assert.Equal(etag, response.Header("ETag"));
        }
        (await Get("/sdk/notiflows.js", "\"0123\"")).AssertStatus(200);
    }

    [Fact]
    public async Task SdkFile_Head_HasHeadersWithoutBody()
    {
        var response = (await SendAsync(Host.CreateClient(), HttpMethod.Head, "/sdk/notiflows-inbox.js")).AssertStatus(200);
        Assert.Equal("text/javascript; charset=utf-8", response.Header("Content-Type"));
        Assert.Equal("", response.Text);
    }

    [Theory]
    [InlineData("/sdk/nope.js", "sdk_file", "nope.js")]
    [InlineData("/sdk/SdkEndpoints.cs", "sdk_file", "SdkEndpoints.cs")]
    [InlineData("/sdk/NOTIFLOWS.JS", "sdk_file", "NOTIFLOWS.JS")]
    [InlineData("/sdk/a/notiflows.js", "route", "/sdk/a/notiflows.js")]
    [InlineData("/sdk", "route", "/sdk")]
    public async Task UnknownSdkFile_Is404InTheEnvelope(string path, string resource, string id)
    {
        var error = (await Get(path)).AssertError(404, "not_found");
        Assert.Equal(resource, (string?)error["details"]!["resource"]);
        Assert.Equal(id, (string?)error["details"]!["id"]);
    }

    [Fact]
    public async Task SdkFile_Post_Is405()
    {
        var error = (await SendAsync(Host.CreateClient(), HttpMethod.Post, "/sdk/notiflows.js", "{}")).AssertError(405, "method_not_allowed");
        Assert.Contains("GET", error["details"]!["allowed_methods"]!.AsArray().Select(m => (string?)m));
    }

    private Task<ApiResponse> Get(string path, string? ifNoneMatch = null) =>
        SendAsync(Host.CreateClient(), HttpMethod.Get, path, headers: ifNoneMatch is null ? null : new Dictionary<string, string> { ["If-None-Match"] = ifNoneMatch });

    private static string SourceOf(string file) => Path.Combine(RepoPaths.Root, "src", "Notiflows.Server", "Sdk", file);
}

public sealed class SqliteSdkEndpointsTests(SqliteFixture f) : SdkEndpointsTests<SqliteFixture>(f);

public sealed class PostgresSdkEndpointsTests(PostgresFixture f) : SdkEndpointsTests<PostgresFixture>(f);
