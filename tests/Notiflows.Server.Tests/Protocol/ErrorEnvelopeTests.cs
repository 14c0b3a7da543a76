using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Protocol;

/// <summary>Every failure path answers with the error envelope (§4.4), the request id (§4.5) and never a stray 500.</summary>
public abstract class ErrorEnvelopeTests<TFixture>(TFixture fixture) : ApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    [Theory]
    [InlineData("/management/v1/nope", "https://notiflows.com/docs/api/errors#not_found-404")]
    [InlineData("/api/management/v1/nope/deeper", "https://notiflows.com/docs/api/errors#not_found-404")]
    [InlineData("/admin/v1/nope", "https://docs.notiflows.com/errors/not_found")]
    [InlineData("/nothing-here", "https://docs.notiflows.com/errors/not_found")]
    public async Task UnknownRoute_Returns404RouteWithSurfaceType(string path, string type)
    {
        var response = await Mgmt(HttpMethod.Get, path);
        var error = response.AssertError(404, "not_found");
        Assert.Equal(type, (string?)error["type"]);
        Assert.Equal("route", (string?)error["details"]!["resource"]);
    }

    [Fact]
    public async Task WrongMethod_Returns405WithAllowHeaderAndAllowedMethods()
    {
        var response = await Mgmt(HttpMethod.Delete, "/management/v1/whoami");
        var error = response.AssertError(405, "method_not_allowed");
        Assert.Contains("GET", response.Header("Allow"));
        Assert.Contains("GET", error["details"]!["allowed_methods"]!.AsArray().Select(m => (string?)m));
        Assert.Equal("https://notiflows.com/docs/api/errors#method_not_allowed-405", (string?)error["type"]);
    }

    [Theory]
    [InlineData("{\"name\": ")]
    [InlineData("[1, 2]")]
    [InlineData("\"a string\"")]
    [InlineData("not json at all")]
    public async Task MalformedOrNonObjectJson_Returns400InvalidJson(string body)
    {
        var project = await NewProjectAsync();
        var response = await Mgmt(HttpMethod.Put, $"{project.Base}/notiflows/malformed", body);
        Assert.Equal("invalid_json", (string?)response.AssertError(400, "bad_request")["details"]!["reason"]);
        (await Mgmt(HttpMethod.Get, $"{project.Base}/notiflows/malformed")).AssertError(404, "not_found");
    }

    [Fact]
    public async Task EmptyBody_IsTreatedAsEmptyObject()
    {
        var project = await NewProjectAsync();
        var response = await Mgmt(HttpMethod.Put, $"{project.Base}/notiflows/empty-body", "");
        response.AssertError(422, "validation_failed", "name", "required");
    }

    [Fact]
    public async Task BodyIsParsedRegardlessOfContentType()
    {
        var project = await NewProjectAsync();
        using var request = new HttpRequestMessage(HttpMethod.Put, $"{project.Base}/notiflows/form-typed")
        {
            Content = new StringContent("""{"name": "Form typed"}""", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"),
        };
        using var response = await Host.Management().SendAsync(request, Ct);
        Assert.Equal(201, (int)response.StatusCode);
    }

    [Fact]
    public async Task WrongTypes_Return422InvalidNamingEveryField()
    {
        var project = await NewProjectAsync();
        var response = await Mgmt(HttpMethod.Put, $"{project.Base}/notiflows/typed", """{"name": 5, "active": "yes", "description": []}""");
        response.AssertError(422, "validation_failed", "name", "invalid");
        response.AssertError(422, "validation_failed", "active", "invalid");
        response.AssertError(422, "validation_failed", "description", "invalid");
    }

    [Fact]
    public async Task OversizedBody_Returns413WithLimit()
    {
        var project = await NewProjectAsync();
        var body = $$"""{"name": "Big", "description": "{{new string('x', 1024 * 1024)}}"}""";
        var error = (await Mgmt(HttpMethod.Put, $"{project.Base}/notiflows/big", body)).AssertError(413, "payload_too_large");
        Assert.Equal(1024 * 1024, (int)error["details"]!["limit"]!);
    }

    [Fact]
    public async Task UnexpectedException_Returns500WithoutInternals()
    {
        var response = await Mgmt(HttpMethod.Get, ProtocolFixture.ThrowPath);
        var error = response.AssertError(500, "internal_error");
        Assert.Equal("Internal server error", (string?)error["message"]);
        Assert.DoesNotContain("hunter2", response.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Notiflows.Internal", response.Text, StringComparison.Ordinal);
        Assert.Empty(error["details"]!.AsObject());
    }

    [Fact]
    public async Task RequestId_IsEchoedWhenWellFormed()
    {
        var response = await Mgmt(HttpMethod.Get, "/management/v1/nope", headers: new Dictionary<string, string> { ["x-request-id"] = "trace.abc:123-x_y" });
        Assert.Equal("trace.abc:123-x_y", response.Header("x-request-id"));
        Assert.Equal("trace.abc:123-x_y", (string?)response.AssertError(404, "not_found")["request_id"]);
    }

    [Theory]
    [InlineData("has spaces")]
    [InlineData("bad/slash")]
    public async Task RequestId_IsAssignedWhenMalformed(string incoming)
    {
        var response = await Mgmt(HttpMethod.Get, "/management/v1/whoami", headers: new Dictionary<string, string> { ["x-request-id"] = incoming });
        Assert.Matches("^req_[0-9a-f]{32}$", response.AssertStatus(200).Header("x-request-id"));
    }

    [Fact]
    public async Task SuccessfulResponses_CarryRequestIdAndRateLimitHeaders()
    {
        var response = (await Mgmt(HttpMethod.Get, "/management/v1/whoami")).AssertStatus(200);
        Assert.Matches("^req_[0-9a-f]{32}$", response.Header("x-request-id"));
        Assert.NotNull(response.Header("RateLimit-Limit"));
        Assert.NotNull(response.Header("RateLimit-Remaining"));
        Assert.NotNull(response.Header("RateLimit-Reset"));
        Assert.StartsWith("application/json", response.Header("Content-Type"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrailingSlash_IsIgnored()
    {
        (await Mgmt(HttpMethod.Get, "/management/v1/whoami/")).AssertStatus(200);
        (await Mgmt(HttpMethod.Get, "/api/management/v1/whoami/")).AssertStatus(200);
    }

    [Fact]
    public async Task InvalidUuidPathParameter_Returns400InvalidUuid()
    {
        var error = (await Mgmt(HttpMethod.Delete, "/management/v1/account-tokens/not-a-uuid")).AssertError(400, "bad_request");
        Assert.Equal("invalid_uuid", (string?)error["details"]!["reason"]);
        Assert.Equal("id", (string?)error["details"]!["param"]);
    }

    [Fact]
    public async Task Healthz_And_Readyz_AnswerOkOutsideTheEnvelope()
    {
        var client = Host.CreateClient();
        Assert.Equal("""{"status":"ok"}""", await client.GetStringAsync("/healthz", Ct));
        Assert.Equal("""{"status":"ok"}""", await client.GetStringAsync("/readyz", Ct));
    }
}

public sealed class SqliteErrorEnvelopeTests(SqliteProtocolFixture fixture) : ErrorEnvelopeTests<SqliteProtocolFixture>(fixture);

public sealed class PostgresErrorEnvelopeTests(PostgresProtocolFixture fixture) : ErrorEnvelopeTests<PostgresProtocolFixture>(fixture);
