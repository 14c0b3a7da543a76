using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using Notiflows.Core.Definitions;

namespace Notiflows.Core.Tests.Definitions;

public sealed class VersionShaTests
{
    private const string Definition = """
        [
          {"handle":"trigger","type":"trigger","position":0},
          {"handle":"mail","type":"channel","channel_type":"email","position":1,"provider_settings":{"from_name":"A","reply_to":"r@x.y"},
           "template":{"data":{"subject":"s","body":"b","content_type":"html"}},
           "conditions":[{"operator":"or","conditions":[{"property":"data.a","operator":"equal_to","value":1.50},{"property":"data.b","operator":"is_empty"}]}]},
          {"handle":"wait","type":"wait","position":2,"settings":{"duration":1,"unit":"day"}},
          {"handle":"end","type":"end","position":3}
        ]
        """;

    [Fact]
    public void Compute_IsLowercaseHexSha256() =>
        Assert.Matches("^[0-9a-f]{64}$", VersionSha.Compute(Defs.Valid(Definition)));

    [Theory]
    [InlineData("\"unit\":\"day\"", "\"duration_unit\":\"days\"")]
    [InlineData("\"unit\":\"day\"", "\"unit\":\"DAYS\"")]
    [InlineData("\"duration\":1,\"unit\":\"day\"", "\"unit\":\"Day\",\"duration\":1.0")]
    public void Compute_IsStableAcrossUnitSpelling(string from, string to)
    {
        var respelled = Definition.Replace(from, to, StringComparison.Ordinal);

        Assert.NotEqual(Definition, respelled);
        Assert.Equal(VersionSha.Compute(Defs.Valid(Definition)), VersionSha.Compute(Defs.Valid(respelled)));
    }

    [Fact]
    public void Compute_IgnoresTemplateIds()
    {
        var first = Defs.Valid(Definition);
        var second = Defs.Valid(Definition);

        Assert.NotEqual(first[1].Template!.Id, second[1].Template!.Id);
        Assert.Equal(VersionSha.Compute(first), VersionSha.Compute(second));
    }

    [Fact]
    public void Compute_ChangesWithContent() => Assert.NotEqual(
        VersionSha.Compute(Defs.Valid(Definition)),
        VersionSha.Compute(Defs.Valid(Definition.Replace("\"subject\":\"s\"", "\"subject\":\"t\"", StringComparison.Ordinal))));

    [FsCheck.Xunit.Property(MaxTest = 50)]
    public bool Compute_IsInvariantUnderKeyAndStepOrderPermutation(int seed)
    {
        var random = new Random(seed);
        var shuffled = Shuffle(JsonNode.Parse(Definition)!, random).ToJsonString();

        return VersionSha.Compute(Defs.Valid(shuffled)) == VersionSha.Compute(Defs.Valid(Definition));
    }

    [FsCheck.Xunit.Property(MaxTest = 50)]
    public Property Canonicalize_IsInvariantUnderKeyPermutation() =>
        Prop.ForAll(
            Gen.Shuffle(["a", "b", "c", "aa", "B", "€", "_"]).ToArbitrary(),
            keys =>
            {
                var obj = new JsonObject();
                foreach (var key in keys)
                {
                    obj[key] = key.Length;
                }

                return Core.Common.JsonCanonicalizer.Canonicalize(obj)
                    == """{"B":1,"_":1,"a":1,"aa":2,"b":1,"c":1,"€":1}""";
            });

    /// <summary>Shuffles the keys of every object and the elements of the top-level (step) array.</summary>
    private static JsonNode Shuffle(JsonNode node, Random random, bool top = true) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(_ => random.Next())
            .Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : Shuffle(p.Value, random, false)))),
        JsonArray array => new JsonArray([.. (top ? array.OrderBy(_ => random.Next()) : array.AsEnumerable())
            .Select(n => n is null ? null : Shuffle(n, random, false))]),
        _ => node.DeepClone(),
    };
}
