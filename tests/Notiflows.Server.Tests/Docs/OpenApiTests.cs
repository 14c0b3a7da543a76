using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Docs;

/// <summary>The OpenAPI document is generated from the endpoints, and the reference page is served without any CDN.</summary>
public sealed partial class OpenApiTests(SqliteFixture fixture) : ApiTests<SqliteFixture>(fixture)
{
    [GeneratedRegex("<script[^>]*\\bsrc=\"([^\"]+)\"")]
    private static partial Regex ScriptSources();

    [Fact]
    public async Task OpenApiDocument_DescribesEveryManagementEndpointWithExactShapes()
    {
        var client = Host.CreateClient();
        var doc = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json", Ct))!.AsObject();
        Assert.StartsWith("3.", (string?)doc["openapi"], StringComparison.Ordinal);
        var paths = doc["paths"]!.AsObject();
        foreach (var path in new[]
                 {
                     "/management/v1/whoami", "/management/v1/projects", "/management/v1/account-tokens", "/management/v1/notiflows",
                     "/management/v1/notiflows/{handle}", "/management/v1/notiflows/{handle}/publish", "/management/v1/notiflows/{handle}/versions",
                     "/management/v1/notiflows/{handle}/steps/{step_handle}/template", "/management/v1/channels/{handle}",
                     "/management/v1/projects/{project_slug}/notiflows/{handle}", "/admin/v1/channels", "/healthz", "/readyz",
                 })
        {
            Assert.True(paths.ContainsKey(path), $"missing {path}");
        }
        Assert.DoesNotContain(paths, p => p.Key.StartsWith("/api/", StringComparison.Ordinal));

        var put = paths["/management/v1/notiflows/{handle}"]!["put"]!.AsObject();
        var responses = put["responses"]!.AsObject();
        Assert.Equal("#/components/schemas/NotiflowResponse", (string?)responses["200"]!["content"]!["application/json"]!["schema"]!["$ref"]);
        Assert.Equal("#/components/schemas/NotiflowResponse", (string?)responses["201"]!["content"]!["application/json"]!["schema"]!["$ref"]);
        Assert.Equal("#/components/schemas/ErrorEnvelope", (string?)responses["422"]!["content"]!["application/json"]!["schema"]!["$ref"]);
        Assert.NotNull(put["requestBody"]);

        var schemas = doc["components"]!["schemas"]!.AsObject();
        var notiflow = schemas["NotiflowResponse"]!["properties"]!.AsObject();
        Assert.Equal(
            ["id", "handle", "name", "description", "active", "include_in_preferences", "has_unpublished_changes", "current_version_id",
             "published_version_id", "current_version", "published_version", "archived_at", "created_at", "updated_at"],
            notiflow.Select(p => p.Key));
        var error = schemas["ErrorBody"]!["properties"]!.AsObject();
        Assert.Equal(["type", "code", "message", "status", "request_id", "details"], error.Select(p => p.Key));
    }

    [Fact]
    public async Task ReferencePage_IsServedLocallyWithoutCdn()
    {
        var client = Host.CreateClient();
        using var page = await client.GetAsync("/docs/", Ct);
        Assert.Equal(200, (int)page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(Ct);
        // The page resolves this against the site root (scalar.aspnetcore.js: origin + base path + url).
        Assert.Contains("\"url\":\"openapi/v1.json\"", html, StringComparison.Ordinal);
        var scripts = ScriptSources().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(scripts);
        foreach (var src in scripts)
        {
            Assert.False(src.Contains("//", StringComparison.Ordinal), $"script from another host: {src}");
            using var script = await client.GetAsync(new Uri(new Uri("http://localhost/docs/"), src), Ct);
            Assert.Equal(200, (int)script.StatusCode);
            Assert.Contains("javascript", script.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        }
    }
}
