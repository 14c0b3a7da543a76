using System.Text.Json.Nodes;
using Notiflows.Core.Channels;
using Template = Notiflows.Core.Definitions.Template;

namespace Notiflows.Core.Templates;

/// <summary>
/// Renders a channel step's template into the delivery <c>data</c> of §11.4. Pure: no clock (time comes in the context),
/// no I/O; parsed Liquid is cached by source. A data-dependent failure is returned as <see cref="RenderResult.Error"/>.
/// </summary>
public static class TemplateRenderer
{
    public static RenderResult Render(Template template, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(context);
        var scope = new RenderScope(template.Data, LiquidVariables.From(context), context.Now);
        var data = template.ChannelType switch
        {
            ChannelTypes.Email => new JsonObject
            {
                ["subject"] = scope.Text("subject"),
                ["body"] = scope.Text("body"),
                ["content_type"] = scope.ContentType ?? "plaintext",
            },
            ChannelTypes.Sms => new JsonObject { ["body"] = scope.Text("body") },
            ChannelTypes.InApp => new JsonObject
            {
                ["title"] = scope.Text("title"),
                ["body"] = scope.Text("body"),
                ["action_url"] = scope.Text("action_url"),
                ["action_type"] = scope.Copy("action_type") ?? "default",
                ["primary_action"] = scope.Action("primary_action"),
                ["secondary_action"] = scope.Action("secondary_action"),
            },
            ChannelTypes.Chat => Chat(scope),
            ChannelTypes.WebPush => new JsonObject
            {
                ["title"] = scope.Text("title"),
                ["body"] = scope.Text("body"),
                ["icon"] = scope.Text("icon"),
                ["image"] = scope.Text("image"),
                ["action_url"] = scope.Text("action_url"),
            },
            ChannelTypes.MobilePush => MobilePush(scope),
            ChannelTypes.Webhook => Webhook(scope, context),
            _ => throw new ArgumentException($"unknown channel type '{template.ChannelType}'", nameof(template)),
        };

        return scope.Error is { } error ? RenderResult.Failed(error) : RenderResult.Ok(data);
    }

    /// <summary>Renders one Liquid string with the same variables; the output is <c>Data["value"]</c>.</summary>
    public static RenderResult RenderString(string liquid, RenderContext context)
    {
        ArgumentNullException.ThrowIfNull(liquid);
        ArgumentNullException.ThrowIfNull(context);
        var (output, error) = LiquidEngine.Render(liquid, LiquidVariables.From(context), context.Now);
        return error is null ? RenderResult.Ok(new JsonObject { ["value"] = output }) : RenderResult.Failed(error);
    }

    private static JsonObject Chat(RenderScope scope)
    {
        var contentType = scope.ContentType ?? "markdown";
        return new JsonObject
        {
            ["body"] = contentType == "json" ? scope.Json("body") : scope.Text("body"),
            ["content_type"] = contentType,
        };
    }

    private static JsonObject MobilePush(RenderScope scope)
    {
        var data = new JsonObject();
        foreach (var field in MobilePushFields)
        {
            data[field] = PassThrough.Contains(field) ? scope.Copy(field) : scope.Text(field);
        }

        return data;
    }

    private static JsonObject Webhook(RenderScope scope, RenderContext context)
    {
        var json = (scope.ContentType ?? "json") == "json";
        return new JsonObject
        {
            ["url"] = scope.Text("url"),
            ["method"] = scope.Copy("method") ?? "POST",
            ["headers"] = scope.Headers("headers"),
            ["body"] = !scope.Has("body") ? DefaultWebhookBody(context) : json ? scope.Json("body") : scope.Text("body"),
        };
    }

    /// <summary><c>{notiflow: {handle, name}, run: {id, topic}, notification_id, recipient, actor, data, digest}</c> (§11.4).</summary>
    private static JsonObject DefaultWebhookBody(RenderContext context)
    {
        var values = context.Values;
        return new JsonObject
        {
            ["notiflow"] = new JsonObject
            {
                ["handle"] = context.Notiflow["handle"]?.DeepClone(), ["name"] = context.Notiflow["name"]?.DeepClone(),
            },
            ["run"] = new JsonObject { ["id"] = values.Run["id"]?.DeepClone(), ["topic"] = values.Run["topic"]?.DeepClone() },
            ["notification_id"] = context.NotificationId.ToString(),
            ["recipient"] = values.Recipient?.DeepClone(),
            ["actor"] = values.Actor?.DeepClone(),
            ["data"] = values.Data.DeepClone(),
            ["digest"] = values.Digest?.DeepClone(),
        };
    }

    private static readonly string[] MobilePushFields =
    [
        "title", "body", "subtitle", "image_url", "action_url", "sound", "badge_count", "category", "thread_id", "collapse_id",
        "interruption_level", "priority", "relevance_score", "ttl", "android_channel_id",
    ];

    private static readonly HashSet<string> PassThrough =
        new(StringComparer.Ordinal) { "badge_count", "interruption_level", "priority", "relevance_score", "ttl" };
}
