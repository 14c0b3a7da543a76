using Microsoft.AspNetCore.Http.HttpResults;
using Notiflows.Server.Auth;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure.Paging;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Api.Admin.Lists;

/// <summary>Makes a list's filter inside the read session (looking up the ids that handles and external ids name).</summary>
public delegate Task<TFilter> FilterResolver<TFilter>(DbSession s, CancellationToken ct);

/// <summary>
/// What a kind of list is: how it reads its query parameters (<see cref="Read"/> records each in the cursor scope and
/// returns how to resolve them), its SQL (<see cref="Query"/>, from <see cref="AdminListQueries"/>), the id of a row,
/// and how rows become the items of the response.
/// </summary>
public sealed record ListSpec<TFilter, TRow, TView>(
    Func<ListParams, Guid, FilterResolver<TFilter>> Read,
    Func<TFilter, CursorPage, ListQuery> Query,
    Func<TRow, Guid> Id,
    Func<DbSession, IReadOnlyList<TRow>, CancellationToken, Task<IReadOnlyList<TView>>> View);

/// <summary>
/// The resource a nested list belongs to (<c>/users/{user_id}/…</c>, <c>/notifications/{notification_id}/…</c>,
/// <c>/runs/{id}/…</c>): its path id is part of the cursor scope, a missing one is a 404, and
/// <see cref="Narrow"/> restricts the filter to it.
/// </summary>
public sealed record ListOwner<TFilter>(
    string Resource, string Id, Func<DbSession, Guid, CancellationToken, Task<Guid?>> FindAsync, Func<TFilter, Guid, TFilter> Narrow);

/// <summary>Serves an Admin list (§4.8): filters, then the page parameters, then the owner (404), then one keyset query.</summary>
public static class AdminList
{
    public static async Task<Results<Ok<CursorList<TView>>, ApiError>> ServeAsync<TFilter, TRow, TView>(
        HttpContext http, Db db, string route, ListSpec<TFilter, TRow, TView> spec, ListOwner<TFilter>? owner, CancellationToken ct)
    {
        var query = new ListParams(http.Request);
        var projectId = http.Project().Id;
        var resolve = spec.Read(query, projectId);
        var scope = query.Scope(route, projectId, owner?.Id);
        if (query.TryPage(scope, out var page) is { } error)
        {
            return error;
        }
        return await db.ReadAsync<Results<Ok<CursorList<TView>>, ApiError>>(async s =>
        {
            Guid? ownerId = null;
            if (owner is not null && (ownerId = await owner.FindAsync(s, projectId, ct)) is null)
            {
                return ApiError.NotFound(owner.Resource, owner.Id);
            }
            var filter = await resolve(s, ct);
            if (ownerId is { } id)
            {
                filter = owner!.Narrow(filter, id);
            }
            var result = await spec.Query(filter, page).PageAsync(s, scope, spec.Id, ct);
            return TypedResults.Ok(new CursorList<TView>(await spec.View(s, result.Items, ct), result.Page));
        }, ct);
    }
}
