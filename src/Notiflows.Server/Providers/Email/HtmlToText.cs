using System.Net;
using System.Text.RegularExpressions;

namespace Notiflows.Server.Providers.Email;

/// <summary>
/// The plain-text alternative of an HTML email (§11.4): tags stripped, block elements and <c>&lt;br&gt;</c> become line
/// breaks, list items get a dash, a link keeps its text followed by its URL in parentheses (just the URL when the text is
/// the URL), <c>script</c>/<c>style</c>/<c>head</c> and comments are dropped, and entities are decoded.
/// </summary>
public static partial class HtmlToText
{
    public static string Convert(string html)
    {
        var text = Dropped().Replace(html, "");
        text = Whitespace().Replace(text, " ");
        text = Link().Replace(text, m => LinkText(m.Groups["href"].Value, m.Groups["text"].Value));
        text = Break().Replace(text, "\n");
        text = ListItem().Replace(text, "\n- ");
        text = Block().Replace(text, "\n\n");
        text = Tag().Replace(text, "");
        text = WebUtility.HtmlDecode(text).Replace('\u00a0', ' ');
        var lines = text.Split('\n').Select(l => Spaces().Replace(l, " ").Trim());
        return BlankLines().Replace(string.Join('\n', lines), "\n\n").Trim();
    }

    private static string LinkText(string href, string inner)
    {
        var url = WebUtility.HtmlDecode(href).Trim();
        var label = Tag().Replace(inner, "").Trim();
        if (url.Length == 0 || url.StartsWith('#'))
        {
            return label;
        }
        var shown = url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? url[7..] : url;
        return label.Length == 0 || string.Equals(WebUtility.HtmlDecode(label), shown, StringComparison.Ordinal)
            ? shown
            : $"{label} ({shown})";
    }

    [GeneratedRegex(@"<!--.*?-->|<(script|style|head|title)\b[^>]*>.*?</\1\s*>", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Dropped();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"<a\b[^>]*?\bhref\s*=\s*(?:""(?<href>[^""]*)""|'(?<href>[^']*)'|(?<href>[^\s>]+))[^>]*>(?<text>.*?)</a\s*>",
        RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Link();

    [GeneratedRegex(@"<br\b[^>]*>|</?tr\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Break();

    [GeneratedRegex(@"<li\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ListItem();

    [GeneratedRegex(@"</?(p|div|h[1-6]|ul|ol|table|blockquote|pre|hr|section|article|header|footer)\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex Block();

    [GeneratedRegex(@"<[^>]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"[ \t]+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"\n{3,}")]
    private static partial Regex BlankLines();
}
