using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Notiflows.Core.Common;

namespace Notiflows.Core.Channels;

/// <summary>The per-field checks of §14.2. Messages never echo the value (it may be a secret).</summary>
internal static partial class FieldRules
{
    /// <summary>Longest ordinary string value; blobs (PEM keys, certificates, service accounts) use <see cref="BlobLength"/>.</summary>
    public const int TextLength = 1024;
    public const int BlobLength = 65_536;

    public static FieldRule Text(int maxLength = TextLength) => value => AsString(value, maxLength, out _);

    public static FieldRule Email() => Matching(EmailPattern(), "is not a valid email address", 254);

    public static FieldRule OneOf(params string[] allowed) => value =>
        AsString(value, TextLength, out var s)
        ?? (allowed.Contains(s, StringComparer.Ordinal)
            ? null
            : new FieldProblem($"must be one of {string.Join(", ", allowed)}", Reasons.Invalid));

    public static FieldRule IntRange(int min, int max) => value =>
        value.GetValueKind() == JsonValueKind.Number && value.AsValue().TryGetValue<int>(out var i) && i >= min && i <= max
            ? null
            : new FieldProblem($"must be an integer from {min} to {max}", Reasons.Invalid);

    public static FieldRule Matching(Regex pattern, string message, int maxLength = TextLength) => value =>
        AsString(value, maxLength, out var s) ?? (pattern.IsMatch(s) ? null : new FieldProblem(message, Reasons.Format));

    public static FieldRule StartingWith(string prefix) => value =>
        AsString(value, TextLength, out var s)
        ?? (s.StartsWith(prefix, StringComparison.Ordinal) && s.Length > prefix.Length
            ? null
            : new FieldProblem($"must start with {prefix}", Reasons.Format));

    public static FieldRule AbsoluteUri(params string[] schemes) => value =>
        AsString(value, 2048, out var s)
        ?? (Uri.TryCreate(s, UriKind.Absolute, out var uri) && schemes.Contains(uri.Scheme, StringComparer.Ordinal)
                && (uri.Scheme == Uri.UriSchemeMailto || !string.IsNullOrEmpty(uri.Host))
            ? null
            : new FieldProblem($"must be an absolute {string.Join(" or ", schemes)} URI", Reasons.Format));

    public static FieldRule Base64(int maxLength = BlobLength) => value =>
        AsString(value, maxLength, out var s)
        ?? (IsBase64(s) ? null : new FieldProblem("must be base64", Reasons.Format));

    public static FieldRule Pem() => value =>
        AsString(value, BlobLength, out var s)
        ?? (s.AsSpan().Trim().StartsWith("-----BEGIN ", StringComparison.Ordinal)
            ? null
            : new FieldProblem("must be a PEM key", Reasons.Format));

    /// <summary>A JSON object, given as its text (or, leniently, as the object itself: see <see cref="JsonObjectToText"/>).</summary>
    public static FieldRule JsonObjectText() => value =>
        AsString(value, BlobLength, out var s)
        ?? (TryParseObject(s) is null ? new FieldProblem("must be a JSON object", Reasons.Invalid) : null);

    public static JsonNode JsonObjectToText(JsonNode value) =>
        value is JsonObject obj ? JsonValue.Create(obj.ToJsonString()) : value;

    public static JsonObject? TryParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static bool IsBase64(string s)
    {
        var buffer = new byte[s.Length];
        return Convert.TryFromBase64String(s, buffer, out _);
    }

    /// <summary>Null when <paramref name="value"/> is a string of at most <paramref name="maxLength"/> chars.</summary>
    public static FieldProblem? AsString(JsonNode value, int maxLength, out string text)
    {
        text = "";
        if (value.GetValueKind() != JsonValueKind.String)
        {
            return new FieldProblem("must be a string", Reasons.Invalid);
        }

        text = value.GetValue<string>();
        return text.Length > maxLength ? new FieldProblem($"must be at most {maxLength} characters", Reasons.TooLong) : null;
    }

    [GeneratedRegex(@"^[^@\s<>""]+@[^@\s<>""]+\.[^@\s<>"".]+\z", RegexOptions.CultureInvariant)]
    public static partial Regex EmailPattern();

    [GeneratedRegex(@"^\+[1-9][0-9]{1,14}\z", RegexOptions.CultureInvariant)]
    public static partial Regex E164Pattern();

    [GeneratedRegex(@"^[A-Za-z0-9_-]+={0,2}\z", RegexOptions.CultureInvariant)]
    public static partial Regex Base64UrlPattern();

    [GeneratedRegex(@"^[A-Za-z0-9]{10}\z", RegexOptions.CultureInvariant)]
    public static partial Regex AppleIdPattern();
}
