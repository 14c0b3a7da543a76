using System.Text;
using System.Text.RegularExpressions;

namespace Notiflows.Core.Delivery;

/// <summary>
/// Markdown → Slack mrkdwn (https://docs.slack.dev/messaging/formatting-message-text): <c>**b**</c>/<c>__b__</c> →
/// <c>*b*</c>, <c>*i*</c>/<c>_i_</c> → <c>_i_</c>, <c>~~s~~</c> → <c>~s~</c>, <c>[t](u)</c> and <c>![t](u)</c> →
/// <c>&lt;u|t&gt;</c>, headings → bold lines; lists, quotes, inline code and code fences are kept; <c>&amp;</c>,
/// <c>&lt;</c>, <c>&gt;</c> in text are escaped as Slack requires (a quote's leading <c>&gt;</c> and autolinks excepted).
/// </summary>
public static partial class SlackMrkdwn
{
    public static string Convert(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var inFence = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }

            lines[i] = inFence ? Escape(line) : Line(line);
        }

        return string.Join('\n', lines);
    }

    private static string Line(string line)
    {
        if (Heading().Match(line) is { Success: true } heading)
        {
            var text = Inline(heading.Groups[1].Value.Replace("**", "", StringComparison.Ordinal).Replace("__", "", StringComparison.Ordinal));
            return text.Length == 0 ? "" : $"*{text}*";
        }

        var prefix = Prefix().Match(line).Value;
        return prefix + Inline(line[prefix.Length..]);
    }

    private static string Inline(string s)
    {
        var sb = new StringBuilder(s.Length);
        var i = 0;
        while (i < s.Length)
        {
            if (TryCode(s, i, sb, out var next) || TryLink(s, i, sb, out next) || TryAutolink(s, i, sb, out next)
                || TryWrap(s, i, "**", "*", sb, out next) || TryWrap(s, i, "__", "*", sb, out next)
                || TryWrap(s, i, "~~", "~", sb, out next) || TryWrap(s, i, "*", "_", sb, out next) || TryWrap(s, i, "_", "_", sb, out next))
            {
                i = next;
                continue;
            }

            sb.Append(Escape(s[i]));
            i++;
        }

        return sb.ToString();
    }

    private static bool TryCode(string s, int i, StringBuilder sb, out int next)
    {
        next = i;
        var end = s[i] == '`' ? s.IndexOf('`', i + 1) : -1;
        if (end < 0)
        {
            return false;
        }

        sb.Append('`').Append(Escape(s[(i + 1)..end])).Append('`');
        next = end + 1;
        return true;
    }

    private static bool TryLink(string s, int i, StringBuilder sb, out int next)
    {
        next = i;
        if (!MatchAt(Link(), s, i, out var m))
        {
            return false;
        }

        var text = Inline(m.Groups["text"].Value);
        var url = m.Groups["url"].Value;
        sb.Append('<').Append(url).Append(text.Length > 0 ? "|" + text : "").Append('>');
        next = i + m.Length;
        return true;
    }

    private static bool TryAutolink(string s, int i, StringBuilder sb, out int next)
    {
        next = i;
        if (!MatchAt(Autolink(), s, i, out var m))
        {
            return false;
        }

        sb.Append(m.Value);
        next = i + m.Length;
        return true;
    }

    private static bool MatchAt(Regex regex, string s, int i, out Match match)
    {
        match = regex.Match(s, i);
        return match.Success && match.Index == i;
    }

    /// <summary><paramref name="marker"/>…<paramref name="marker"/> around non-blank text → the Slack marker around it.</summary>
    private static bool TryWrap(string s, int i, string marker, string slack, StringBuilder sb, out int next)
    {
        next = i;
        if (string.CompareOrdinal(s, i, marker, 0, marker.Length) != 0)
        {
            return false;
        }

        var start = i + marker.Length;
        var underscore = marker[0] == '_';
        if (start >= s.Length || char.IsWhiteSpace(s[start]) || (underscore && i > 0 && char.IsLetterOrDigit(s[i - 1])))
        {
            return false;
        }

        var end = s.IndexOf(marker, start, StringComparison.Ordinal);
        while (end >= 0 && (char.IsWhiteSpace(s[end - 1]) || end == start
            || (marker.Length == 1 && end + 1 < s.Length && s[end + 1] == marker[0])
            || (underscore && end + marker.Length < s.Length && char.IsLetterOrDigit(s[end + marker.Length]))))
        {
            end = s.IndexOf(marker, end + 1, StringComparison.Ordinal);
        }

        if (end < 0)
        {
            return false;
        }

        sb.Append(slack).Append(Inline(s[start..end])).Append(slack);
        next = end + marker.Length;
        return true;
    }

    private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Escape(char c) => c switch { '&' => "&amp;", '<' => "&lt;", '>' => "&gt;", _ => c.ToString() };

    [GeneratedRegex(@"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")]
    private static partial Regex Heading();

    /// <summary>What starts a line and stays: indentation, quote markers, a list bullet or number.</summary>
    [GeneratedRegex(@"^\s*(?:>\s?)*(?:[-*+]\s+|\d+[.)]\s+)?")]
    private static partial Regex Prefix();

    [GeneratedRegex(@"!?\[(?<text>[^\]]*)\]\((?<url>[^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"<(?:https?|mailto):[^>\s]+>")]
    private static partial Regex Autolink();
}
