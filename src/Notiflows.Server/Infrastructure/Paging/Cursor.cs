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
    /// <summary>The id bound of an id-keyed list: items older than <see cref="After"/>.</summary>
    public Guid? OlderId => After is { } a ? Guid.Parse(a) : null;

    /// <summary>The id bound of an id-keyed list: items newer than <see cref="Before"/>.</summary>
    public Guid? NewerId => Before is { } b ? Guid.Parse(b) : null;

    /// <summary>The SQL order to fetch in: newest first, or oldest first when paging towards newer items.</summary>
    public string Order => Before is null ? "DESC" : "ASC";

    /// <summary>
    /// The page of an id-keyed list from rows fetched in <see cref="Order"/> with <c>LIMIT Limit + 1</c>: the extra
    /// row only tells whether more exist. Items come out newest first whichever way the cursor points.
    /// </summary>
    public CursorList<T> Page<T>(IReadOnlyList<T> fetched, string scope, Func<T, Guid> id)
    {
        var more = fetched.Count > Limit;
        var rows = fetched.Take(Limit).ToList();
        if (Before is not null)
        {
            rows.Reverse();
        }
        string? Key(int i) => rows.Count > 0 ? Encode(scope, id(rows[i]).ToString()) : null;
        var hasOlder = Before is null ? more : rows.Count > 0;
        var hasNewer = Before is null ? After is not null && rows.Count > 0 : more;
        return new CursorList<T>(rows, new CursorInfo(Key(rows.Count - 1), Key(0), hasOlder, hasNewer, Limit));
    }

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
