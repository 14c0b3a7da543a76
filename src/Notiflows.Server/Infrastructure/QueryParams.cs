using System.Globalization;
using Notiflows.Server.Errors;

namespace Notiflows.Server.Infrastructure;

/// <summary>Typed query parameters (§4.1): a malformed value is a 400 <c>invalid_param</c> naming the parameter.</summary>
public static partial class QueryParams
{
    public static string? String(HttpRequest request, string name) =>
        request.Query.TryGetValue(name, out var v) && v.Count > 0 && v[0] is { Length: > 0 } s ? s : null;

    public static bool TryBool(HttpRequest request, string name, out bool? value, out ApiError? error)
    {
        value = null;
        error = null;
        var raw = String(request, name);
        if (raw is null)
        {
            return true;
        }
        if (bool.TryParse(raw, out var parsed))
        {
            value = parsed;
            return true;
        }
        error = ApiError.InvalidParam(name);
        return false;
    }

    public static bool TryInt(HttpRequest request, string name, int min, out int? value, out ApiError? error)
    {
        value = null;
        error = null;
        var raw = String(request, name);
        if (raw is null)
        {
            return true;
        }
        if (long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed) && parsed >= min)
        {
            value = (int)Math.Min(parsed, int.MaxValue);
            return true;
        }
        // A well-formed positive integer too large for 64 bits is still "above the max": clamp it like any other (§4.8).
        if (raw.TrimStart('+').Length > 0 && raw.TrimStart('+').All(char.IsAsciiDigit) && raw.Count(c => c == '+') <= 1 && !raw.TrimStart('+').All(c => c == '0'))
        {
            value = int.MaxValue;
            return true;
        }
        error = ApiError.InvalidParam(name);
        return false;
    }

    /// <summary>An RFC 3339 timestamp (§4.1: date, <c>T</c>, time, <c>Z</c> or an offset), converted to UTC.</summary>
    public static bool TryTimestamp(HttpRequest request, string name, out DateTimeOffset? value, out ApiError? error)
    {
        value = null;
        error = null;
        var raw = String(request, name);
        if (raw is null)
        {
            return true;
        }
        if (Rfc3339().IsMatch(raw) && DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            value = parsed;
            return true;
        }
        error = ApiError.InvalidParam(name);
        return false;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial System.Text.RegularExpressions.Regex Rfc3339();
}
