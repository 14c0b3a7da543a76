using Notiflows.Server.Errors;

namespace Notiflows.Server.Infrastructure.Paging;

/// <summary>Page-number pagination of the Management lists (§4.8): <c>page</c> ≥ 1, <c>limit</c> default 25, max 100 (clamped).</summary>
public readonly record struct PageNumber(int Page, int Limit)
{
    public int Offset => (int)Math.Min(int.MaxValue, (long)(Page - 1) * Limit);

    public static ApiError? TryParse(HttpRequest request, out PageNumber page)
    {
        page = default;
        if (!QueryParams.TryInt(request, "page", 1, out var number, out var error) ||
            !QueryParams.TryInt(request, "limit", 1, out var limit, out error))
        {
            return error;
        }
        page = new PageNumber(number ?? 1, Math.Min(limit ?? 25, 100));
        return null;
    }

    public PagedList<T> Result<T>(IReadOnlyList<T> items, long total) =>
        new(items, new PageInfo(Page, Limit, total, (total + Limit - 1) / Limit));
}

public sealed record PagedList<T>(IReadOnlyList<T> Items, PageInfo PageInfo);

public sealed record PageInfo(int Page, int Limit, long TotalCount, long TotalPages);
