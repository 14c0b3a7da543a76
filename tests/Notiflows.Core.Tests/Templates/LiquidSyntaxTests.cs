using Notiflows.Core.Templates;

namespace Notiflows.Core.Tests.Templates;

public sealed class LiquidSyntaxTests
{
    public static TheoryData<string> AllowedFilters => [.. LiquidSyntax.Filters];

    [Theory]
    [MemberData(nameof(AllowedFilters))]
    public void Check_EveryAllowedFilter_IsAccepted(string filter)
    {
        Assert.Null(LiquidSyntax.Check($"{{{{ data.x | {filter} }}}}"));
        Assert.Null(LiquidSyntax.Check($"{{% assign y = data.x | {filter} %}}{{{{ y }}}}"));
    }

    [Theory]
    [InlineData("plain text")]
    [InlineData("{% if a > 1 %}x{% elsif b %}y{% else %}z{% endif %}")]
    [InlineData("{% unless a %}x{% endunless %}")]
    [InlineData("{% case a %}{% when 1 %}x{% else %}y{% endcase %}")]
    [InlineData("{% for i in digest.items limit: 3 offset: 1 reversed %}{{ forloop.index }}{% endfor %}")]
    [InlineData("{% capture c %}{{ a }}{% endcapture %}{{ c }}")]
    [InlineData("{% raw %}{{ a | anything }}{% include 'x' %}{% endraw %}")]
    [InlineData("{% comment %}{{ a | anything }}{% endcomment %}")]
    [InlineData("{{ 1234.5 | money: 'EUR' }} {{ data | json }} {{ data.created_at | date: '%H:%M', recipient.timezone }}")]
    [InlineData("{%- if a -%} {{- a | default: 'x|y' -}} {%- endif -%}")]
    [InlineData("{% if digest.total_items > 1 %}**{{ actor.first_name }}** and {{ digest.total_items | minus: 1 }} others{% endif %}")]
    public void Check_SupportedTemplate_IsAccepted(string template) => Assert.Null(LiquidSyntax.Check(template));

    [Theory]
    [InlineData("{{ a | shout }}")]
    [InlineData("{{ a | upcase | shout: 1 }}")]
    [InlineData("{% assign b = a | shout %}")]
    [InlineData("{% if a %}{{ a | shout }}{% endif %}")]
    [InlineData("{% for i in items %}{% else %}{{ i | shout }}{% endfor %}")]
    [InlineData("{% if a | upcase %}x{% endif %}")]
    [InlineData("{% for i in items | sort %}{% endfor %}")]
    [InlineData("{% for i in items step: 2 %}{% endfor %}")]
    [InlineData("{% include 'partial' %}")]
    [InlineData("{% cycle 'a', 'b' %}")]
    [InlineData("{% tablerow i in items %}{% endtablerow %}")]
    [InlineData("{% increment n %}")]
    [InlineData("{% nosuchtag %}")]
    [InlineData("{% if a %}")]
    [InlineData("{{ a ")]
    [InlineData("{% endif %}")]
    public void Check_UnsupportedOrBrokenTemplate_IsRejected(string template) => Assert.NotNull(LiquidSyntax.Check(template));

    [Fact]
    public void Check_UnknownFilter_NamesIt() => Assert.Contains("shout", LiquidSyntax.Check("{{ a | shout }}"), StringComparison.Ordinal);
}
