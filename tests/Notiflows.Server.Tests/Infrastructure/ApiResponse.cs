using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Notiflows.Server.Tests.Infrastructure;

/// <summary>What a client saw: status, headers and the parsed JSON body.</summary>
public sealed record ApiResponse(int Status, HttpResponseHeaders Headers, HttpContentHeaders? ContentHeaders, string Text)
{
    public JsonNode? Json => Text.Length == 0 ? null : JsonNode.Parse(Text);

    public JsonObject Body => Json as JsonObject ?? throw new Xunit.Sdk.XunitException($"Expected a JSON object, got: {Text}");

    public string? Header(string name) =>
        Headers.TryGetValues(name, out var v) ? string.Join(",", v)
        : ContentHeaders is not null && ContentHeaders.TryGetValues(name, out var c) ? string.Join(",", c) : null;

    /// <summary>Asserts the error envelope: status, code, and (for 422) that <paramref name="field"/> is reported with <paramref name="reason"/>.</summary>
    public JsonObject AssertError(int status, string code, string? field = null, string? reason = null)
    {
        Assert.True(Status == status, $"Expected {status} {code}, got {Status}: {Text}");
        var error = Body["error"]!.AsObject();
        Assert.Equal(code, (string?)error["code"]);
        Assert.Equal(status, (int)error["status"]!);
        Assert.False(string.IsNullOrEmpty((string?)error["request_id"]));
        Assert.Equal(Header("x-request-id"), (string?)error["request_id"]);
        Assert.NotNull(error["details"] as JsonObject);
        if (field is not null)
        {
            var fields = error["details"]!["fields"]!.AsArray().Select(f => ((string?)f!["field"], (string?)f["reason"])).ToList();
            Assert.True(fields.Contains((field, reason)), $"Expected field {field} ({reason}) in {Text}");
        }
        return error;
    }

    public ApiResponse AssertStatus(int status)
    {
        Assert.True(Status == status, $"Expected {status}, got {Status}: {Text}");
        return this;
    }
}
