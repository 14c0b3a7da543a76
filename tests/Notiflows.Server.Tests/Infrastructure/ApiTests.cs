using System.Text;
using System.Text.Json.Nodes;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Tests.Infrastructure;

/// <summary>Base of the integration tests: the same tests run against SQLite and PostgreSQL through the fixture type.</summary>
public abstract class ApiTests<TFixture>(TFixture fixture) : IClassFixture<TFixture> where TFixture : HostFixture
{
    protected TestHost Host
    {
        get
        {
            if (fixture.Kind == DbKind.Postgres)
            {
                TestPostgres.RequireAdminConnectionString();
            }
            return fixture.Host;
        }
    }

    protected DbKind Kind => Host.Kind;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static async Task<ApiResponse> SendAsync(HttpClient client, HttpMethod method, string path, string? body = null,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return new ApiResponse((int)response.StatusCode, response.Headers, response.Content.Headers, text);
    }

    protected Task<ApiResponse> Mgmt(HttpMethod method, string path, string? body = null, IReadOnlyDictionary<string, string>? headers = null) =>
        SendAsync(Host.Management(), method, path, body, headers);

    /// <summary>A fresh project of the bootstrap account, so each test has data of its own.</summary>
    protected async Task<TestProject> NewProjectAsync()
    {
        var slug = "p-" + Guid.NewGuid().ToString("N")[..12];
        var created = (await Mgmt(HttpMethod.Post, "/management/v1/projects", $$"""{"slug": "{{slug}}", "name": "Test {{slug}}"}""")).AssertStatus(201).Body;
        return new TestProject(slug, (string)created["public_key"]!, (string)created["secret_key"]!);
    }

    protected static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();
}

public sealed record TestProject(string Slug, string PublicKey, string SecretKey)
{
    public string Base => $"/management/v1/projects/{Slug}";
}
