using System.Text.RegularExpressions;
using DotLiquid;
using DotLiquid.Exceptions;

namespace Notiflows.Core.Templates;

/// <summary>
/// Publish-time Liquid check (§11.1): the template parses and uses only the supported tags and filters.
/// DotLiquid accepts unknown filters (and ignores filters in tag markup) at parse time, so after parsing the
/// template is scanned token by token, the way DotLiquid tokenizes it, and every filter and tag name is checked.
/// </summary>
public static partial class LiquidSyntax
{
    public static readonly IReadOnlySet<string> Filters = new HashSet<string>(StringComparer.Ordinal)
    {
        "abs", "append", "at_least", "at_most", "capitalize", "ceil", "compact", "concat", "date", "default",
        "divided_by", "downcase", "escape", "escape_once", "first", "floor", "join", "last", "lstrip", "map", "minus",
        "modulo", "newline_to_br", "plus", "prepend", "remove", "remove_first", "replace", "replace_first", "reverse",
        "round", "rstrip", "size", "slice", "sort", "sort_natural", "split", "strip", "strip_html", "strip_newlines",
        "times", "truncate", "truncatewords", "uniq", "upcase", "url_decode", "url_encode", "where", "money", "json",
    };

    public static readonly IReadOnlySet<string> Tags = new HashSet<string>(StringComparer.Ordinal)
    {
        "if", "elsif", "else", "endif", "unless", "endunless", "case", "when", "endcase", "for", "endfor",
        "assign", "capture", "endcapture", "raw", "endraw", "comment", "endcomment",
    };

    private static readonly HashSet<string> ForAttributes = new(StringComparer.Ordinal) { "limit", "offset" };

    /// <summary>Null when the template is valid, else a message describing the first problem.</summary>
    public static string? Check(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        LiquidEngine.EnsureConfigured();
        try
        {
            Template.Parse(template);
        }
        catch (LiquidException e)
        {
            return e.Message;
        }
        catch (RegexMatchTimeoutException)
        {
            return "template is too complex to parse";
        }

        return Scan(template);
    }

    private static string? Scan(string template)
    {
        string? rawEnd = null;
        foreach (Match token in TokenPattern().Matches(template))
        {
            if (token.Groups["var"].Success)
            {
                if (rawEnd is null && CheckFilters(token.Groups["var"].Value) is { } error)
                {
                    return error;
                }

                continue;
            }

            var name = token.Groups["tag"].Value;
            if (rawEnd is not null)
            {
                rawEnd = string.Equals(name, rawEnd, StringComparison.Ordinal) ? null : rawEnd;
                continue;
            }

            if (CheckTag(name, token.Groups["markup"].Value) is { } tagError)
            {
                return tagError;
            }

            rawEnd = name switch { "raw" => "endraw", "comment" => "endcomment", _ => null };
        }

        return null;
    }

    private static string? CheckTag(string name, string markup)
    {
        if (!Tags.Contains(name))
        {
            return $"Unknown tag '{name}'";
        }

        if (name == "assign")
        {
            var equals = markup.IndexOf('=', StringComparison.Ordinal);
            return equals < 0 ? null : CheckFilters(markup[(equals + 1)..]);
        }

        var unquoted = QuotedPattern().Replace(markup, string.Empty);
        if (unquoted.Contains('|', StringComparison.Ordinal))
        {
            return $"Filters are not supported in the '{name}' tag";
        }

        if (name == "for")
        {
            foreach (Match attribute in AttributePattern().Matches(unquoted))
            {
                if (!ForAttributes.Contains(attribute.Groups[1].Value))
                {
                    return $"Unknown 'for' attribute '{attribute.Groups[1].Value}'";
                }
            }
        }

        return null;
    }

    private static string? CheckFilters(string markup)
    {
        foreach (var filter in new Variable(markup.Trim()).Filters)
        {
            if (!Filters.Contains(filter.Name))
            {
                return $"Unknown filter '{filter.Name}'";
            }
        }

        return null;
    }

    [GeneratedRegex(@"\{\{-?(?<var>.*?)-?\}\}|\{%-?\s*(?<tag>\w+)\s*(?<markup>.*?)-?%\}", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();

    [GeneratedRegex("\"[^\"]*\"|'[^']*'", RegexOptions.CultureInvariant)]
    private static partial Regex QuotedPattern();

    [GeneratedRegex(@"(\w+)\s*:", RegexOptions.CultureInvariant)]
    private static partial Regex AttributePattern();
}
