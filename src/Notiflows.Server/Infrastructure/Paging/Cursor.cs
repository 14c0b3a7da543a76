using System.Buffers.Text;
using System.Text.Json;
using Notiflows.Server.Errors;

namespace Notiflows.Server.Infrastructure.Paging;

/// <summary>
/// Cursor pagination (§4.8). A cursor is base64url JSON naming its list route, project and filters next to the
/// position, so a cursor used on another list, in another project or with other filters is refused (400).
/// </summary>
public sealed record CursorPage(int Limit, string? After, string? Before)
{
    public static ApiError? TryParse(HttpRequest request, string scope, int defaultLimit, int maxLimit, out CursorPage page)
    {
        page = new CursorPage(defaultLimit, null, null);
        if (!QueryParams.TryInt(request, "limit", 1, out var limit, out var error))
        {
            return error;
        }
        var after = QueryParams.String(request, "after");
        var before = QueryParams.String(request, "before");
        if (after is not null && before is not null)
        {
            return ApiError.InvalidParam("after");
        }
        string? afterKey = null, beforeKey = null;
        if (after is not null && (afterKey = Decode(after, scope)) is null)
        {
            return ApiError.InvalidParam("after");
        }
        if (before is not null && (beforeKey = Decode(before, scope)) is null)
        {
            return ApiError.InvalidParam("before");
        }
        page = new CursorPage(Math.Min(limit ?? defaultLimit, maxLimit), afterKey, beforeKey);
        return null;
    }

    /// <summary>The scope a cursor is bound to: route, project and every filter value.</summary>
    public static string Scope(string route, Guid projectId, params string?[] filters) =>
        $"{route}|{projectId}|{string.Join('|', filters.Select(f => f ?? "\u0000"))}";

    public static string Encode(string scope, string key) =>
        Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(new CursorToken(scope, key)));

    private static string? Decode(string cursor, string scope)
    {
        try
        {
            var token = JsonSerializer.Deserialize<CursorToken>(Base64Url.DecodeFromChars(cursor));
            return token is not null && string.Equals(token.S, scope, StringComparison.Ordinal) ? token.K : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }

    private sealed record CursorToken(string S, string K);
}

public sealed record CursorList<T>(IReadOnlyList<T> Items, CursorInfo Page);

public sealed record CursorInfo(string? After, string? Before, bool HasMoreAfter, bool HasMoreBefore, int Limit);
