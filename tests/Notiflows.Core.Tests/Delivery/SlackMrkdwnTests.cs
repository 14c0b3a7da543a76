using Notiflows.Core.Delivery;

namespace Notiflows.Core.Tests.Delivery;

public sealed class SlackMrkdwnTests
{
    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("**bold**", "*bold*")]
    [InlineData("__bold__", "*bold*")]
    [InlineData("*italic*", "_italic_")]
    [InlineData("_italic_", "_italic_")]
    [InlineData("~~strike~~", "~strike~")]
    [InlineData("**Ann** commented on *Q3 plan*", "*Ann* commented on _Q3 plan_")]
    [InlineData("**bold _and italic_**", "*bold _and italic_*")]
    [InlineData("[the doc](https://x.test/d?a=1&b=2)", "<https://x.test/d?a=1&b=2|the doc>")]
    [InlineData("see [**the** doc](https://x.test)", "see <https://x.test|*the* doc>")]
    [InlineData("![logo](https://x.test/l.png)", "<https://x.test/l.png|logo>")]
    [InlineData("<https://x.test>", "<https://x.test>")]
    [InlineData("a & b < c > d", "a &amp; b &lt; c &gt; d")]
    [InlineData("`a <b> **c**`", "`a &lt;b&gt; **c**`")]
    [InlineData("snake_case_name stays", "snake_case_name stays")]
    [InlineData("2 * 3 * 4", "2 * 3 * 4")]
    [InlineData("**unclosed", "**unclosed")]
    [InlineData("# Title", "*Title*")]
    [InlineData("### **Bold** title ###", "*Bold title*")]
    [InlineData("- one\n- **two**", "- one\n- *two*")]
    [InlineData("* one\n* *two*", "* one\n* _two_")]
    [InlineData("1. first\n2. second", "1. first\n2. second")]
    [InlineData("  - nested", "  - nested")]
    [InlineData("> quoted **text**", "> quoted *text*")]
    [InlineData("```\nx <y> **z**\n```", "```\nx &lt;y&gt; **z**\n```")]
    [InlineData("line one\r\nline two", "line one\nline two")]
    [InlineData("", "")]
    public void Convert_Markdown_GivesSlackMrkdwn(string markdown, string expected) => Assert.Equal(expected, SlackMrkdwn.Convert(markdown));
}
