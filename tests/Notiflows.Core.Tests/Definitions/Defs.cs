using System.Text.Json;
using Notiflows.Core.Definitions;

namespace Notiflows.Core.Tests.Definitions;

/// <summary>Test helpers: parse step lists written as JSON.</summary>
internal static class Defs
{
    public const string Trigger = """{"handle":"trigger","type":"trigger","position":0}""";
    public const string End = """{"handle":"end","type":"end","position":99}""";

    public static Guid NewId() => Guid.NewGuid();

    public static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    public static DefinitionResult Parse(string stepsJson, IReadOnlyList<Step>? current = null) =>
        DefinitionParser.ParseSteps(Json(stepsJson), current ?? [], NewId);

    /// <summary>[trigger, ...middle, end]: the middle steps have input indexes 1, 2, ….</summary>
    public static string Wrap(params string[] middle) => $"[{string.Join(",", [Trigger, .. middle, End])}]";

    public static IReadOnlyList<Step> Valid(string stepsJson, IReadOnlyList<Step>? current = null)
    {
        var result = Parse(stepsJson, current);
        Assert.Empty(result.Errors);
        return result.Steps;
    }
}
