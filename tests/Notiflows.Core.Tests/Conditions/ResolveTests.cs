using System.Text.Json.Nodes;
using Notiflows.Core.Conditions;

namespace Notiflows.Core.Tests.Conditions;

public sealed class ResolveTests
{
    internal static EvaluationContext Context(string data = "{}", string? recipient = null, string? actor = null, string? digest = null) => new(
        (JsonObject)JsonNode.Parse(data)!,
        recipient is null ? null : (JsonObject)JsonNode.Parse(recipient)!,
        actor is null ? null : (JsonObject)JsonNode.Parse(actor)!,
        digest is null ? null : (JsonObject)JsonNode.Parse(digest)!,
        new JsonObject { ["id"] = "run-1", ["topic"] = "projects:1" });

    private static readonly EvaluationContext Sample = Context(
        """{"priority":"high","items":[{"price":5},{"price":7}],"user":{"name":"x"},"n":null}""",
        """{"id":"u1","external_id":"ext-1","email":"a@acme.com","first_name":"Ann","custom_fields":{"plan":"pro","email":"shadow","nested":{"x":1}}}""",
        digest: """{"total_items":2,"items":[{"data":{"c":"hi"}}]}""");

    private static string? Str(string path) => Sample.Resolve(path)?.ToJsonString();

    [Theory]
    [InlineData("data.priority", "\"high\"")]
    [InlineData("priority", "\"high\"")]
    [InlineData("items.1.price", "7")]
    [InlineData("data.items.0.price", "5")]
    [InlineData("data.user.name", "\"x\"")]
    [InlineData("recipient.email", "\"a@acme.com\"")]
    [InlineData("recipient.plan", "\"pro\"")]
    [InlineData("recipient.custom_fields.plan", "\"pro\"")]
    [InlineData("recipient.nested.x", "1")]
    [InlineData("run.id", "\"run-1\"")]
    [InlineData("run.topic", "\"projects:1\"")]
    [InlineData("digest.total_items", "2")]
    [InlineData("digest.items.0.data.c", "\"hi\"")]
    public void Resolve_KnownPaths_ReturnTheValue(string path, string expected) => Assert.Equal(expected, Str(path));

    [Theory]
    [InlineData("data.missing")]
    [InlineData("missing.deeper")]
    [InlineData("data.items.2.price")]
    [InlineData("data.items.-1")]
    [InlineData("data.items.x")]
    [InlineData("data.priority.length")]
    [InlineData("data.n")]
    [InlineData("recipient.phone")]
    [InlineData("recipient.unknown")]
    [InlineData("actor.first_name")]
    [InlineData("actor.plan")]
    [InlineData("data.")]
    public void Resolve_MissingOrThroughNonObject_IsNull(string path) => Assert.True(Sample.Resolve(path) is null || Str(path) == "null");

    [Fact]
    public void Resolve_StandardAttribute_DoesNotFallBackToCustomFields() => Assert.Equal("\"a@acme.com\"", Str("recipient.email"));

    [Fact]
    public void Resolve_DigestBeforeDigestStep_IsNull() => Assert.Null(Context().Resolve("digest.total_items"));

    [Fact]
    public void Resolve_Roots_ReturnWholeObjects()
    {
        Assert.Equal("\"Ann\"", Sample.Resolve("recipient")!["first_name"]!.ToJsonString());
        Assert.Equal(2, Sample.Resolve("data.items")!.AsArray().Count);
    }

    [Fact]
    public void Resolve_BareRootNamedLikeDataKey_ResolvesAgainstData()
    {
        var context = Context("""{"plan":"pro"}""");
        Assert.Equal("\"pro\"", context.Resolve("plan")!.ToJsonString());
    }
}
