using System.Text.Json.Nodes;
using DotLiquid;

namespace Notiflows.Core.Templates;

/// <summary>Builds the top-level Liquid variables of §11.2 from a <see cref="RenderContext"/>.</summary>
internal static class LiquidVariables
{
    public static Hash From(RenderContext context)
    {
        var values = context.Values;
        return new Hash
        {
            ["recipient"] = LiquidValues.User(values.Recipient),
            ["actor"] = LiquidValues.User(values.Actor),
            ["data"] = LiquidValues.From(values.Data),
            ["digest"] = Digest(values.Digest),
            ["run"] = LiquidValues.From(values.Run),
            ["notiflow"] = LiquidValues.From(context.Notiflow),
            ["channel"] = LiquidValues.From(context.Channel),
        };
    }

    /// <summary><c>{total_items, items}</c>; each item's <c>actor</c>/<c>recipient</c> use custom fields like the top-level ones.</summary>
    private static Hash? Digest(JsonObject? digest)
    {
        if (digest is null)
        {
            return null;
        }

        var hash = new Hash();
        foreach (var (key, value) in digest)
        {
            hash[key] = key == "items" && value is JsonArray items ? items.Select(Item).ToList() : LiquidValues.From(value);
        }

        return hash;
    }

    private static object? Item(JsonNode? item)
    {
        if (item is not JsonObject obj)
        {
            return LiquidValues.From(item);
        }

        var hash = new Hash();
        foreach (var (key, value) in obj)
        {
            hash[key] = key is "actor" or "recipient" ? LiquidValues.User(value as JsonObject) : LiquidValues.From(value);
        }

        return hash;
    }
}
