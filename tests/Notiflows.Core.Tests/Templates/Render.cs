using System.Text.Json.Nodes;
using Notiflows.Core.Conditions;
using Notiflows.Core.Templates;
using Template = Notiflows.Core.Definitions.Template;

namespace Notiflows.Core.Tests.Templates;

/// <summary>Test helpers: a render context built from JSON, and shortcuts for rendering.</summary>
internal static class Render
{
    public static readonly DateTimeOffset Now = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

    public static readonly Guid NotificationId = Guid.Parse("0195a1b2-0000-7000-8000-000000000001");

    public const string Recipient =
        """{"id":"u1","external_id":"ext-1","email":"ann@acme.com","first_name":"Ann","last_name":null,"timezone":"Europe/Paris","custom_fields":{"plan":"pro","first_name":"shadow"}}""";

    public static RenderContext Context(string data = "{}", string? recipient = Recipient, string? actor = null, string? digest = null) => new(
        new EvaluationContext(
            Obj(data)!, Obj(recipient), Obj(actor), Obj(digest), new JsonObject { ["id"] = "run-1", ["topic"] = "docs:1" }),
        new JsonObject { ["handle"] = "comments", ["name"] = "Comments" },
        new JsonObject { ["handle"] = "in-app", ["type"] = "in_app" },
        NotificationId,
        Now);

    public static JsonObject? Obj(string? json) => json is null ? null : (JsonObject)JsonNode.Parse(json)!;

    /// <summary>The output of one Liquid string; fails the test on a render error.</summary>
    public static string Text(string liquid, RenderContext? context = null)
    {
        var result = TemplateRenderer.RenderString(liquid, context ?? Context());
        Assert.Null(result.Error);
        return (string)result.Data!["value"]!;
    }

    public static string? Error(string liquid, RenderContext? context = null)
    {
        var result = TemplateRenderer.RenderString(liquid, context ?? Context());
        Assert.Null(result.Data);
        return result.Error;
    }

    public static RenderResult Channel(string channelType, string templateData, RenderContext? context = null) =>
        TemplateRenderer.Render(new Template(Guid.Empty, channelType, Obj(templateData)!), context ?? Context());
}
