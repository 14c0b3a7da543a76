using System.Text.Json;
using System.Text.Json.Nodes;
using Notiflows.Core.Channels;

namespace Notiflows.Core.Tests.Channels;

/// <summary>Test helpers: JSON written with single quotes for readability.</summary>
internal static class ConfigJson
{
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json.Replace('\'', '"'));
        return document.RootElement.Clone();
    }

    public static JsonObject Object(string json) => JsonNode.Parse(json.Replace('\'', '"'))!.AsObject();

    public static ConfigMergeResult Create(string type, string provider, string json) =>
        ChannelConfigMerger.Merge(type, provider, null, Parse(json), providerChanged: false);

    public static ConfigMergeResult Update(string type, string provider, ChannelConfig stored, string json, bool providerChanged = false) =>
        ChannelConfigMerger.Merge(type, provider, stored, Parse(json), providerChanged);

    public static ChannelConfig Valid(string type, string provider, string json)
    {
        var result = Create(type, provider, json);
        Assert.Empty(result.Errors);
        return result.Config!;
    }

    public static string? Text(JsonObject obj, string name) => obj[name]?.GetValue<string>();

    public static void AssertSingleError(ConfigMergeResult result, string field, string reason)
    {
        Assert.Null(result.Config);
        var error = Assert.Single(result.Errors);
        Assert.Equal((field, reason), (error.Field, error.Reason));
    }
}
