using Notiflows.Server.Providers.Email;

namespace Notiflows.Server.Tests.Providers.Email;

/// <summary>The plain-text alternative derived from an HTML email body.</summary>
public sealed class HtmlToTextTests
{
    [Theory]
    [InlineData(EmailTestMessages.Html, EmailTestMessages.HtmlAsText)]
    [InlineData("<p>a<br>b<br/>c</p>", "a\nb\nc")]
    [InlineData("<ul><li>one</li><li>two</li></ul>", "- one\n- two")]
    [InlineData("<a href='https://x.example/'>https://x.example/</a>", "https://x.example/")]
    [InlineData("<a href=\"mailto:help@acme.example\">help@acme.example</a>", "help@acme.example")]
    [InlineData("<a href=\"mailto:help@acme.example\">Write <b>us</b></a>", "Write us (help@acme.example)")]
    [InlineData("<a href=\"#top\">Top</a>", "Top")]
    [InlineData("<script>alert(1)</script><!-- hidden -->&lt;tag&gt; &#233;t&eacute;", "<tag> été")]
    [InlineData("plain   text\n\n\n\nwith gaps", "plain text with gaps")]
    public void Converts(string html, string text) => Assert.Equal(text, HtmlToText.Convert(html));
}
