using Dapper;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Infrastructure.Paging;

/// <summary>
/// The SQL of one newest-first, id-keyed list (§4.8):
/// <c>SELECT … WHERE condition AND … [cursor bound] ORDER BY id DESC|ASC LIMIT limit + 1</c>.
/// Every Admin list is built here, so the cursor bounds, the order, the created window and the extra row that tells
/// whether more items exist are written once, and a test can EXPLAIN exactly the SQL an endpoint runs
/// (<see cref="Sql"/>, <see cref="Parameters"/>). Each condition is an equality or range on a column an index leads
/// with, so the database serves the page with an index range scan in id order, without sorting.
/// </summary>
public sealed class ListQuery
{
    /// <summary>
    /// How far an id's time may lie from its row's <c>created_at</c>. Both come from the same clock, but not always from
    /// the same reading (a row may take <c>now</c> before or after its id is made, and ids stay monotonic when the clock
    /// steps back or a millisecond's 4,096 sequence numbers run out), so the id window is wider than the created window
    /// by this much on each side.
    /// </summary>
    public static readonly TimeSpan CreatedSlack = TimeSpan.FromMinutes(10);

    private readonly string _select;
    private readonly string _id;
    private readonly CursorPage _page;
    private readonly List<string> _conditions = [];

    /// <param name="select">The <c>SELECT … FROM …</c> part, joins included.</param>
    /// <param name="idColumn">The UUIDv7 id the list is ordered and paged by (qualified when the select joins).</param>
    /// <param name="page">The page asked for.</param>
    public ListQuery(string select, string idColumn, CursorPage page)
    {
        (_select, _id, _page) = (select, idColumn, page);
        Parameters.Add("limit", page.Limit + 1);
        // Only the bounds that are set: PostgreSQL cannot type a null parameter nobody compares.
        foreach (var (name, bound) in new[] { ("older", page.OlderId), ("newer", page.NewerId) })
        {
            if (bound is { } id)
            {
                Parameters.Add(name, id);
            }
        }
    }

    public DynamicParameters Parameters { get; } = new();

    public string Sql => $"""
        {_select}
        WHERE {string.Join(" AND ", _conditions)}{DbSession.Bounds(_id, _page.OlderId, _page.NewerId)}
        ORDER BY {_id} {_page.Order} LIMIT @limit
        """;

    /// <summary>Adds <paramref name="condition"/> (which names <c>@</c><paramref name="name"/>) unless the filter is not set.</summary>
    public ListQuery Where(string condition, string name, object? value)
    {
        if (value is not null)
        {
            _conditions.Add(condition);
            Parameters.Add(name, value);
        }
        return this;
    }

    /// <summary>Adds a condition without parameters (a fixed predicate, or a filter's predicate), unless it is null.</summary>
    public ListQuery Where(string? condition)
    {
        if (condition is not null)
        {
            _conditions.Add(condition);
        }
        return this;
    }

    /// <summary>How many rows match every condition, ignoring the page: <c>SELECT COUNT(*) FROM from WHERE …</c> (with <see cref="Parameters"/>).</summary>
    public string CountSql(string from) => $"SELECT COUNT(*) FROM {from} WHERE {string.Join(" AND ", _conditions)}";

    /// <summary>
    /// <c>created_after</c> / <c>created_before</c>: exclusive bounds on <paramref name="createdColumn"/>. That column has
    /// no index; but ids are UUIDv7 made from the same clock, so each bound also limits the id, widened by
    /// <see cref="CreatedSlack"/> so no row is lost: <c>id ≥ min UUIDv7 at (after − slack)</c>,
    /// <c>id ≤ max UUIDv7 at (before + slack)</c>. The id bound narrows the index range scan (every list index ends
    /// with id); the created_at test on the few rows inside the slack keeps the answer exact.
    /// </summary>
    public ListQuery Created(string createdColumn, DateTimeOffset? after, DateTimeOffset? before)
    {
        Where($"{createdColumn} > @createdAfter", "createdAfter", after);
        Where($"{_id} >= @createdFromId", "createdFromId", after is { } a ? IdGenerator.MinAt(Shift(a, -CreatedSlack)) : null);
        Where($"{createdColumn} < @createdBefore", "createdBefore", before);
        return Where($"{_id} <= @createdToId", "createdToId", before is { } b ? IdGenerator.MaxAt(Shift(b, CreatedSlack)) : null);
    }

    /// <summary>Runs the query and cuts the page (<see cref="CursorPage.Page{T}"/>).</summary>
    public async Task<CursorList<T>> PageAsync<T>(DbSession s, string scope, Func<T, Guid> id, CancellationToken ct) =>
        _page.Page(await s.QueryAsync<T>(Sql, Parameters, ct), scope, id);

    private static DateTimeOffset Shift(DateTimeOffset at, TimeSpan by) =>
        by > TimeSpan.Zero && at > DateTimeOffset.MaxValue - by ? DateTimeOffset.MaxValue
        : by < TimeSpan.Zero && at < DateTimeOffset.MinValue - by ? DateTimeOffset.MinValue
        : at + by;
}
