using static Notiflows.Core.Tests.Templates.Render;

namespace Notiflows.Core.Tests.Templates;

public sealed class LiquidRenderingTests
{
    private const string Data = """
        {"name":"Ann","price":1234.5,"count":3,"tags":["b","a","C"],"html":"<p>Hi <b>there</b></p>","on":false,
         "people":[{"name":"x","role":"admin"},{"name":"y","role":"user"},{"name":"z","role":"admin"}],"nested":{"snake_case":1},
         "created_at":"2024-01-02T03:04:05Z","ts":1704164645,"text":"a\nb","url":"a b&c","empty":[],"blank":""}
        """;

    private static string T(string liquid) => Text(liquid, Context(Data));

    [Theory]
    [InlineData("{{ data.name }}", "Ann")]
    [InlineData("{{ data.nested.snake_case }}", "1")]
    [InlineData("{{ data.people[1].name }}", "y")]
    [InlineData("{{ data.people.first.name }}", "x")]
    [InlineData("{{ recipient.first_name }}", "Ann")]
    [InlineData("{{ recipient.plan }}", "pro")]
    [InlineData("{{ recipient.custom_fields.plan }}", "pro")]
    [InlineData("{{ run.id }}/{{ run.topic }}", "run-1/docs:1")]
    [InlineData("{{ notiflow.handle }}:{{ notiflow.name }}", "comments:Comments")]
    [InlineData("{{ channel.handle }}:{{ channel.type }}", "in-app:in_app")]
    [InlineData("{{ data.count | plus: 1 }}", "4")]
    [InlineData("{{ data.count | times: 2.5 }}", "7.5")]
    [InlineData("{% if data.on %}on{% else %}off{% endif %}", "off")]
    [InlineData("{% for p in data.people limit: 2 %}{{ forloop.index }}{{ p.name }}{% endfor %}", "1x2y")]
    [InlineData("{% assign n = data.people | size %}{{ n }}", "3")]
    [InlineData("{% capture c %}{{ data.name }}!{% endcapture %}{{ c }}", "Ann!")]
    [InlineData("{% case data.count %}{% when 3 %}three{% else %}other{% endcase %}", "three")]
    [InlineData("{% raw %}{{ x }}{% endraw %}", "{{ x }}")]
    public void RenderString_Variables_SeeSnakeCaseJsonAsGiven(string liquid, string expected) => Assert.Equal(expected, T(liquid));

    [Theory]
    [InlineData("[{{ nothing }}]")]
    [InlineData("[{{ data.missing.deeper }}]")]
    [InlineData("[{{ actor.first_name }}]")]
    [InlineData("[{{ digest.total_items }}]")]
    [InlineData("[{{ recipient.last_name }}]")]
    public void RenderString_UnknownVariable_RendersEmpty(string liquid) => Assert.Equal("[]", T(liquid));

    [Fact]
    public void RenderString_Output_IsNotHtmlEscaped() => Assert.Equal("<p>Hi <b>there</b></p> & <i>", T("{{ data.html }} & <i>"));

    [Fact]
    public void RenderString_StandardAttribute_WinsOverCustomField() => Assert.Equal("Ann", T("{{ recipient.first_name }}"));

    [Theory]
    [InlineData("{{ -3 | abs }}", "3")]
    [InlineData("{{ 'a' | append: 'b' }}", "ab")]
    [InlineData("{{ 3 | at_least: 5 }}", "5")]
    [InlineData("{{ 3 | at_most: 1 }}", "1")]
    [InlineData("{{ 'ann' | capitalize }}", "Ann")]
    [InlineData("{{ 2.1 | ceil }}", "3")]
    [InlineData("{{ data.tags | concat: data.tags | size }}", "6")]
    [InlineData("{{ data.people | map: 'missing' | compact | size }}", "0")]
    [InlineData("{{ 10 | divided_by: 4 }}", "2")]
    [InlineData("{{ 'ABC' | downcase }}", "abc")]
    [InlineData("{{ '<a>' | escape }}", "&lt;a&gt;")]
    [InlineData("{{ '&lt;a>' | escape_once }}", "&lt;a&gt;")]
    [InlineData("{{ data.tags | first }}", "b")]
    [InlineData("{{ 2.9 | floor }}", "2")]
    [InlineData("{{ data.tags | join: '-' }}", "b-a-C")]
    [InlineData("{{ data.tags | last }}", "C")]
    [InlineData("{{ '  x' | lstrip }}", "x")]
    [InlineData("{{ data.people | map: 'name' | join: ',' }}", "x,y,z")]
    [InlineData("{{ 5 | minus: 7 }}", "-2")]
    [InlineData("{{ 7 | modulo: 3 }}", "1")]
    [InlineData("{{ data.text | newline_to_br }}", "a<br />\nb")]
    [InlineData("{{ 'b' | prepend: 'a' }}", "ab")]
    [InlineData("{{ 'aXbX' | remove: 'X' }}", "ab")]
    [InlineData("{{ 'aXbX' | remove_first: 'X' }}", "abX")]
    [InlineData("{{ 'aXbX' | replace: 'X', 'Y' }}", "aYbY")]
    [InlineData("{{ 'aXbX' | replace_first: 'X', 'Y' }}", "aYbX")]
    [InlineData("{{ data.tags | reverse | join: '' }}", "Cab")]
    [InlineData("{{ 2.567 | round: 2 }}", "2.57")]
    [InlineData("{{ 'x  ' | rstrip }}|", "x|")]
    [InlineData("{{ data.tags | size }}", "3")]
    [InlineData("{{ 'hello' | slice: 1, 3 }}", "ell")]
    [InlineData("{{ data.tags | sort | join: '' }}", "Cab")]
    [InlineData("{{ data.people | sort: 'role' | map: 'role' | join: ',' }}", "admin,admin,user")]
    [InlineData("{{ '10,9,1' | split: ',' | sort | join: ',' }}", "1,10,9")]
    [InlineData("{{ data.tags | sort_natural | join: '' }}", "abC")]
    [InlineData("{{ 'a,b' | split: ',' | size }}", "2")]
    [InlineData("{{ '  x  ' | strip }}|", "x|")]
    [InlineData("{{ data.html | strip_html }}", "Hi there")]
    [InlineData("{{ data.text | strip_newlines }}", "ab")]
    [InlineData("{{ 3 | times: 4 }}", "12")]
    [InlineData("{{ 'abcdefghij' | truncate: 5 }}", "ab...")]
    [InlineData("{{ 'one two three' | truncatewords: 2 }}", "one two...")]
    [InlineData("{{ 'one two three' | truncatewords: 2, '!' }}", "one two!")]
    [InlineData("{{ 'one two' | truncatewords: 5 }}", "one two")]
    [InlineData("{{ 'a,a,b' | split: ',' | uniq | join: '' }}", "ab")]
    [InlineData("{{ 'abc' | upcase }}", "ABC")]
    [InlineData("{{ 'a%20b' | url_decode }}", "a b")]
    [InlineData("{{ data.url | url_encode }}", "a+b%26c")]
    [InlineData("{{ data.people | where: 'role', 'admin' | map: 'name' | join: '' }}", "xz")]
    public void RenderString_StandardFilters_Work(string liquid, string expected) => Assert.Equal(expected, T(liquid));

    [Theory]
    [InlineData("{{ data.price | money }}", "$1,234.50")]
    [InlineData("{{ 10 | money: 'EUR' }}", "€10.00")]
    [InlineData("{{ 10 | money: 'GBP' }}", "£10.00")]
    [InlineData("{{ 1234.5 | money: 'JPY' }}", "¥1,235")]
    [InlineData("{{ 10 | money: 'CHF' }}", "10.00 CHF")]
    [InlineData("{{ '42' | money }}", "$42.00")]
    [InlineData("{{ 'n/a' | money }}", "n/a")]
    public void RenderString_Money_FormatsMajorUnits(string liquid, string expected) => Assert.Equal(expected, T(liquid));

    [Theory]
    [InlineData("{{ data.created_at | date: '%B %d, %Y' }}", "January 02, 2024")]
    [InlineData("{{ data.created_at | date: '%H:%M', recipient.timezone }}", "04:04")]
    [InlineData("{{ data.created_at | date: '%H:%M', 'America/New_York' }}", "22:04")]
    [InlineData("{{ data.ts | date: '%Y-%m-%d %H:%M:%S' }}", "2024-01-02 03:04:05")]
    [InlineData("{{ 'now' | date: '%Y-%m-%dT%H:%M:%S' }}", "2025-03-04T05:06:07")]
    [InlineData("{{ 'now' | date: '%H:%M', 'Asia/Tokyo' }}", "14:06")]
    [InlineData("{{ 'not a date' | date: '%Y' }}", "not a date")]
    [InlineData("{{ data.created_at | date: '%H:%M', 'Not/AZone' }}", "03:04")]
    public void RenderString_Date_UsesStrftimeAndTimeZone(string liquid, string expected) => Assert.Equal(expected, T(liquid));

    [Theory]
    [InlineData("{{ data.missing | default: 'there' }}", "there")]
    [InlineData("{{ data.blank | default: 'there' }}", "there")]
    [InlineData("{{ data.on | default: 'there' }}", "there")]
    [InlineData("{{ data.empty | default: 'there' }}", "there")]
    [InlineData("{{ recipient.last_name | default: 'there' }}", "there")]
    [InlineData("{{ data.name | default: 'there' }}", "Ann")]
    [InlineData("{{ 0 | default: 'there' }}", "0")]
    public void RenderString_Default_ReplacesNullEmptyAndFalse(string liquid, string expected) => Assert.Equal(expected, T(liquid));

    [Theory]
    [InlineData("{{ data.nested | json }}", """{"snake_case":1}""")]
    [InlineData("{{ data.tags | json }}", """["b","a","C"]""")]
    [InlineData("{{ data.name | json }}", "\"Ann\"")]
    [InlineData("{{ data.price | json }}", "1234.5")]
    [InlineData("{{ data.on | json }}", "false")]
    [InlineData("{{ data.missing | json }}", "null")]
    [InlineData("{{ data.people[0] | json }}", """{"name":"x","role":"admin"}""")]
    public void RenderString_Json_IsCompact(string liquid, string expected) => Assert.Equal(expected, T(liquid));

    [Fact]
    public void RenderString_DividedByZero_IsRenderError() =>
        Assert.Contains("divide by zero", Error("a{{ data.count | divided_by: 0 }}b", Context(Data)), StringComparison.Ordinal);

    [Fact]
    public void RenderString_SyntaxError_IsRenderError() => Assert.NotNull(Error("{% if %}"));

    [Fact]
    public void RenderString_CachedTemplate_GivesIdenticalResultsAcrossThreads()
    {
        const string liquid = "{{ data.name | upcase }} {{ data.n | money }} {% for i in data.list %}{{ i }}{% endfor %}";
        var results = new string[200];
        Parallel.For(0, results.Length, i =>
            results[i] = Text(liquid, Context($$"""{"name":"n{{i}}","n":{{i}},"list":[{{i}},{{i + 1}}]}""")));

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal($"N{i} ${i}.00 {i}{i + 1}", results[i]);
        }
    }

    [Fact]
    public void RenderString_ErrorsAreIsolatedPerRenderAcrossThreads()
    {
        const string liquid = "{{ 10 | divided_by: data.d }}";
        var errors = new bool[200];
        Parallel.For(0, errors.Length, i =>
            errors[i] = TemplateRendererError(liquid, Context($$"""{"d":{{i % 2}}}""")));

        for (var i = 0; i < errors.Length; i++)
        {
            Assert.Equal(i % 2 == 0, errors[i]);
        }
    }

    private static bool TemplateRendererError(string liquid, Notiflows.Core.Templates.RenderContext context) =>
        Notiflows.Core.Templates.TemplateRenderer.RenderString(liquid, context).Error is not null;
}
