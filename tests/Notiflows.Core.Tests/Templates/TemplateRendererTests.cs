using System.Text.Json.Nodes;
using Notiflows.Core.Channels;
using static Notiflows.Core.Tests.Templates.Render;

namespace Notiflows.Core.Tests.Templates;

public sealed class TemplateRendererTests
{
    private static JsonObject Ok(string channelType, string templateData, Notiflows.Core.Templates.RenderContext? context = null)
    {
        var result = Channel(channelType, templateData, context);
        Assert.Null(result.Error);
        return result.Data!;
    }

    private static void AssertJson(string expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), actual), actual?.ToJsonString());

    [Fact]
    public void Render_Email_RendersSubjectAndBody() => AssertJson(
        """{"subject":"Hi Ann","body":"<p>pro</p>","content_type":"html"}""",
        Ok(ChannelTypes.Email, """{"subject":"Hi {{ recipient.first_name }}","body":"<p>{{ recipient.plan }}</p>","content_type":"html","raw_body":"x"}"""));

    [Fact]
    public void Render_Sms_RendersBody() =>
        AssertJson("""{"body":"Code 42"}""", Ok(ChannelTypes.Sms, """{"body":"Code {{ data.code }}","content_type":"plaintext"}""", Context("""{"code":42}""")));

    [Fact]
    public void Render_InApp_UnsetOptionalFieldsAreNullAndActionTypeDefaults() => AssertJson(
        """{"title":null,"body":"hello","action_url":null,"action_type":"default","primary_action":null,"secondary_action":null}""",
        Ok(ChannelTypes.InApp, """{"body":"hello","content_type":"markdown"}"""));

    [Fact]
    public void Render_InApp_RendersActions() => AssertJson(
        """
        {"title":"T Ann","body":"b","action_url":"/d/7","action_type":"multi",
         "primary_action":{"label":"Open 7","url":"/d/7"},"secondary_action":{"label":"Later","url":"/later"}}
        """,
        Ok(ChannelTypes.InApp, """
            {"title":"T {{ recipient.first_name }}","body":"b","action_url":"/d/{{ data.id }}","action_type":"multi",
             "primary_action":{"label":"Open {{ data.id }}","url":"/d/{{ data.id }}"},"secondary_action":{"label":"Later","url":"/later"}}
            """, Context("""{"id":7}""")));

    [Fact]
    public void Render_ChatMarkdown_KeepsBodyText() => AssertJson(
        """{"body":"*Ann*","content_type":"markdown"}""", Ok(ChannelTypes.Chat, """{"body":"*{{ recipient.first_name }}*","content_type":"markdown"}"""));

    [Fact]
    public void Render_ChatJson_StoresParsedBody() => AssertJson(
        """{"body":{"text":"Ann","tags":["b","a"]},"content_type":"json"}""",
        Ok(ChannelTypes.Chat, """{"body":"{\"text\":\"{{ recipient.first_name }}\",\"tags\":{{ data.tags | json }}}","content_type":"json"}""",
            Context("""{"tags":["b","a"]}""")));

    [Fact]
    public void Render_ChatJson_InvalidJsonAfterRendering_IsRenderError()
    {
        var result = Channel(ChannelTypes.Chat, """{"body":"{\"text\": {{ recipient.first_name }} }","content_type":"json"}""");

        Assert.Null(result.Data);
        Assert.Contains("not valid JSON", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_WebPush_RendersAllFields() => AssertJson(
        """{"title":"t","body":"b Ann","icon":"/i.png","image":null,"action_url":"/x"}""",
        Ok(ChannelTypes.WebPush, """{"title":"t","body":"b {{ recipient.first_name }}","icon":"/i.png","action_url":"/x","content_type":"plaintext"}"""));

    [Fact]
    public void Render_MobilePush_PassesNonStringFieldsThrough() => AssertJson(
        """
        {"title":"t","body":"b","subtitle":"s Ann","image_url":null,"action_url":null,"sound":"ping","badge_count":3,"category":null,
         "thread_id":"doc-7","collapse_id":null,"interruption_level":"time_sensitive","priority":"high","relevance_score":0.5,"ttl":60,
         "android_channel_id":null}
        """,
        Ok(ChannelTypes.MobilePush, """
            {"title":"t","body":"b","subtitle":"s {{ recipient.first_name }}","sound":"ping","badge_count":3,"thread_id":"doc-{{ data.id }}",
             "interruption_level":"time_sensitive","priority":"high","relevance_score":0.5,"ttl":60,"content_type":"plaintext"}
            """, Context("""{"id":7}""")));

    [Fact]
    public void Render_Webhook_WithoutBody_SendsDefaultPayload()
    {
        var data = Ok(ChannelTypes.Webhook, """{"url":"https://h.example/{{ data.id }}","content_type":"json"}""",
            Context("""{"id":7}""", actor: """{"id":"a1","first_name":"Bob"}"""));

        AssertJson(
            $$$"""
            {"url":"https://h.example/7","method":"POST","headers":{},
             "body":{"notiflow":{"handle":"comments","name":"Comments"},"run":{"id":"run-1","topic":"docs:1"},
                     "notification_id":"{{{NotificationId}}}","recipient":{{{Recipient}}},"actor":{"id":"a1","first_name":"Bob"},
                     "data":{"id":7},"digest":null}}
            """,
            data);
    }

    [Fact]
    public void Render_Webhook_RendersHeadersMethodAndJsonBody() => AssertJson(
        """{"url":"https://h.example","method":"PUT","headers":{"X-User":"ext-1","X-Static":"s"},"body":{"n":7}}""",
        Ok(ChannelTypes.Webhook, """
            {"url":"https://h.example","method":"PUT","headers":{"X-User":"{{ recipient.external_id }}","X-Static":"s"},
             "body":"{\"n\":{{ data.id }}}","content_type":"json"}
            """, Context("""{"id":7}""")));

    [Fact]
    public void Render_WebhookPlaintext_KeepsBodyText() => AssertJson(
        """{"url":null,"method":"POST","headers":{},"body":"id=7"}""",
        Ok(ChannelTypes.Webhook, """{"body":"id={{ data.id }}","content_type":"plaintext"}""", Context("""{"id":7}""")));

    [Fact]
    public void Render_WebhookJson_InvalidBody_IsRenderError() =>
        Assert.NotNull(Channel(ChannelTypes.Webhook, """{"body":"{{ data.id }","content_type":"json"}""").Error);

    [Fact]
    public void Render_DividedByZero_FailsTheWholeRender()
    {
        var result = Channel(ChannelTypes.Email, """{"subject":"ok","body":"{{ 1 | divided_by: data.zero }}","content_type":"plaintext"}""",
            Context("""{"zero":0}"""));

        Assert.Null(result.Data);
        Assert.StartsWith("body: ", result.Error, StringComparison.Ordinal);
        Assert.Contains("divide by zero", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_SpecDigestExample_RendersSummaryAndItems()
    {
        const string body = """
            {% if digest.total_items > 1 %}**{{ actor.first_name }}** and {{ digest.total_items | minus: 1 }} others commented on *{{ data.doc_title }}*{% else %}**{{ actor.first_name }}** commented on *{{ data.doc_title }}*{% endif %}
            {% for item in digest.items limit: 3 %}- {{ item.data.comment | truncate: 80 }}
            {% endfor %}
            """;
        var longComment = new string('x', 100);
        var digest = $$"""
            {"total_items":4,"items":[
              {"data":{"comment":"First"},"actor":{"first_name":"Bob"},"recipient":null,"created_at":"2025-03-04T05:00:00Z"},
              {"data":{"comment":"{{longComment}}"},"actor":{"first_name":"Cy"},"recipient":null,"created_at":"2025-03-04T05:01:00Z"},
              {"data":{"comment":"Third"},"actor":{"first_name":"Di"},"recipient":null,"created_at":"2025-03-04T05:02:00Z"},
              {"data":{"comment":"Fourth"},"actor":{"first_name":"Ed"},"recipient":null,"created_at":"2025-03-04T05:03:00Z"}]}
            """;
        var context = Context("""{"doc_title":"Plan","comment":"First"}""", actor: """{"first_name":"Bob"}""", digest: digest);
        var template = new JsonObject { ["body"] = body, ["content_type"] = "markdown" };

        var data = Ok(ChannelTypes.InApp, template.ToJsonString(), context);

        Assert.Equal(
            $"**Bob** and 3 others commented on *Plan*\n- First\n- {new string('x', 77)}...\n- Third\n",
            (string)data["body"]!);
    }

    [Fact]
    public void Render_SpecDigestExample_SingleItemUsesElseBranch()
    {
        var context = Context("""{"doc_title":"Plan"}""", actor: """{"first_name":"Bob"}""",
            digest: """{"total_items":1,"items":[{"data":{"comment":"Only"},"actor":null,"recipient":null,"created_at":"x"}]}""");

        Assert.Equal(
            "**Bob** commented on *Plan*: Only",
            Text("{% if digest.total_items > 1 %}many{% else %}**{{ actor.first_name }}** commented on *{{ data.doc_title }}*{% endif %}: " +
                 "{% for item in digest.items %}{{ item.data.comment }}{% endfor %}", context));
    }

    [Fact]
    public void Render_DigestItemUsers_FallBackToCustomFields() => Assert.Equal("gold", Text(
        "{{ digest.items[0].actor.tier }}",
        Context(digest: """{"total_items":1,"items":[{"data":{},"actor":{"custom_fields":{"tier":"gold"}},"recipient":null}]}""")));
}
