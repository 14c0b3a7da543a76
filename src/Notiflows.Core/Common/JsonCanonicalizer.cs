using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Notiflows.Core.Common;

/// <summary>RFC 8785 JSON Canonicalization Scheme (JCS) over <see cref="JsonNode"/> trees.</summary>
public static class JsonCanonicalizer
{
    public static string Canonicalize(JsonNode? node)
    {
        var builder = new StringBuilder();
        Write(node, builder);
        return builder.ToString();
    }

    /// <summary>ECMAScript <c>Number.prototype.toString</c> of a double (RFC 8785 §3.2.2.3).</summary>
    public static string FormatNumber(double value)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), "JSON numbers must be finite");
        }

        if (value == 0)
        {
            return "0";
        }

        var (digits, n) = Decompose(Math.Abs(value));
        var k = digits.Length;
        var sign = value < 0 ? "-" : string.Empty;
        string body;
        if (k <= n && n <= 21)
        {
            body = digits + new string('0', n - k);
        }
        else if (n is > 0 and <= 21)
        {
            body = $"{digits[..n]}.{digits[n..]}";
        }
        else if (n is > -6 and <= 0)
        {
            body = $"0.{new string('0', -n)}{digits}";
        }
        else
        {
            var exponent = n - 1;
            var mantissa = k == 1 ? digits : $"{digits[0]}.{digits[1..]}";
            body = $"{mantissa}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent)}";
        }

        return sign + body;
    }

    /// <summary>Shortest round-trip digits (no leading/trailing zeros) and n such that value = 0.digits × 10^n.</summary>
    private static (string Digits, int N) Decompose(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        var exponent = 0;
        var e = text.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var intLength = dot < 0 ? text.Length : dot;
        var digits = text.Replace(".", string.Empty, StringComparison.Ordinal);
        var leading = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        return (digits, intLength - leading + exponent);
    }

    private static void Write(JsonNode? node, StringBuilder builder)
    {
        switch (node)
        {
            case null:
                builder.Append("null");
                break;
            case JsonObject obj:
                builder.Append('{');
                var first = true;
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    builder.Append(first ? string.Empty : ",");
                    first = false;
                    WriteString(key, builder);
                    builder.Append(':');
                    Write(value, builder);
                }

                builder.Append('}');
                break;
            case JsonArray array:
                builder.Append('[');
                for (var i = 0; i < array.Count; i++)
                {
                    builder.Append(i == 0 ? string.Empty : ",");
                    Write(array[i], builder);
                }

                builder.Append(']');
                break;
            default:
                WriteValue(node.AsValue(), builder);
                break;
        }
    }

    private static void WriteValue(JsonValue value, StringBuilder builder)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                WriteString(value.GetValue<string>(), builder);
                break;
            case JsonValueKind.Number:
                var raw = value.ToJsonString();
                builder.Append(FormatNumber(double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture)));
                break;
            case JsonValueKind.True:
                builder.Append("true");
                break;
            case JsonValueKind.False:
                builder.Append("false");
                break;
            default:
                builder.Append("null");
                break;
        }
    }

    private static void WriteString(string text, StringBuilder builder)
    {
        builder.Append('"');
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case < ' ': builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"); break;
                default: builder.Append(c); break;
            }
        }

        builder.Append('"');
    }
}
