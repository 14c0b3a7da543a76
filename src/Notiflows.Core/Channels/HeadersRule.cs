using System.Text.Json;
using System.Text.Json.Nodes;
using Notiflows.Core.Common;

namespace Notiflows.Core.Channels;

/// <summary>
/// Webhook <c>headers</c> (§14.2): an object of string values (each value secret). Names must be HTTP tokens and
/// values must not contain control characters, so a stored header can never inject another one.
/// </summary>
internal static class HeadersRule
{
    public const int MaxHeaders = 50;
    public const int MaxValueLength = 4096;
    private const string TokenSymbols = "!#$%&'*+-.^_`|~";

    public static FieldProblem? Check(JsonNode value)
    {
        if (value is not JsonObject headers)
        {
            return new FieldProblem("must be an object of strings", Reasons.Invalid);
        }

        if (headers.Count > MaxHeaders)
        {
            return new FieldProblem($"must have at most {MaxHeaders} headers", Reasons.TooMany);
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, header) in headers)
        {
            if (!seen.Add(name))
            {
                return new FieldProblem("is given twice (header names are case-insensitive)", Reasons.Invalid, name);
            }

            if (!IsToken(name))
            {
                return new FieldProblem("is not a valid header name", Reasons.Format, name);
            }

            if (header is null || header.GetValueKind() != JsonValueKind.String)
            {
                return new FieldProblem("must be a string", Reasons.Invalid, name);
            }

            var text = header.GetValue<string>();
            if (text.Length > MaxValueLength)
            {
                return new FieldProblem($"must be at most {MaxValueLength} characters", Reasons.TooLong, name);
            }

            if (text.Any(char.IsControl))
            {
                return new FieldProblem("must not contain control characters", Reasons.Format, name);
            }
        }

        return null;
    }

    private static bool IsToken(string name) =>
        name.Length is > 0 and <= 256 && name.All(c => char.IsAsciiLetterOrDigit(c) || TokenSymbols.Contains(c, StringComparison.Ordinal));
}
