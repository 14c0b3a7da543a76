using System.Globalization;
using Notiflows.Server.Api.Management.Notiflows;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Infrastructure.Paging;
using Notiflows.Storage.Database;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Api.Admin.Lists;

/// <summary>
/// The filters of one list request (§4.1, §4.8), read in a fixed order: the first malformed one is the 400
/// <c>invalid_param</c>, and every value read becomes part of the cursor scope, so a cursor only works with the
/// filters it was made with.
/// </summary>
public sealed class ListParams(HttpRequest request)
{
    private readonly List<string?> _values = [];

    public ApiError? Error { get; private set; }

    public string? String(string name) => Keep(QueryParams.String(request, name));

    /// <summary>A value from a closed set (a status, a channel type); anything else is <c>invalid_param</c>.</summary>
    public string? OneOf(string name, IReadOnlyCollection<string> allowed)
    {
        var value = String(name);
        return value is null || allowed.Contains(value, StringComparer.Ordinal) ? value : Fail<string?>(name, null);
    }

    public Guid? Uuid(string name)
    {
        var value = String(name);
        return value is null ? null : Guid.TryParse(value, out var id) ? id : Fail<Guid?>(name, null);
    }

    public bool? Bool(string name)
    {
        var value = String(name);
        return value is null ? null : bool.TryParse(value, out var b) ? b : Fail<bool?>(name, null);
    }

    public DateTimeOffset? Timestamp(string name)
    {
        if (!QueryParams.TryTimestamp(request, name, out var value, out var error))
        {
            Error ??= error;
        }
        _values.Add(value?.UtcTicks.ToString(CultureInfo.InvariantCulture));
        return value;
    }

    /// <summary>The cursor scope: the list's route, the project, the owner in the path (a user, a notification, a run) and the filters.</summary>
    public string Scope(string route, Guid projectId, string? owner = null) => CursorPage.Scope(route, projectId, [owner, .. _values]);

    /// <summary>Reads the page parameters once the filters are valid: the first error of either, or null and the page.</summary>
    public ApiError? TryPage(string scope, out CursorPage page, int defaultLimit = 25, int maxLimit = 1000)
    {
        page = new CursorPage(defaultLimit, null, null);
        if ((Error ?? CursorPage.TryParse(request, scope, defaultLimit, maxLimit, out page)) is { } error)
        {
            return error;
        }
        // Cursors are not signed: one decoded with the right scope could still carry a key that is not an id.
        return page.After is { } a && !Guid.TryParse(a, out _) ? ApiError.InvalidParam("after")
            : page.Before is { } b && !Guid.TryParse(b, out _) ? ApiError.InvalidParam("before")
            : null;
    }

    /// <summary>A notiflow filter by handle or id (§4.3); an unknown one matches nothing (<see cref="Guid.Empty"/>), like a status nobody has.</summary>
    public static async Task<Guid?> NotiflowIdAsync(DbSession s, Guid projectId, string? handleOrId, CancellationToken ct) =>
        handleOrId is null ? null : (await NotiflowLookup.FindAsync(s, projectId, handleOrId, ct, lockRow: false))?.Id ?? Guid.Empty;

    /// <summary>A user filter by external id; an unknown one matches nothing.</summary>
    public static async Task<Guid?> UserIdAsync(DbSession s, Guid projectId, string? externalId, CancellationToken ct) =>
        externalId is null ? null : (await UserStore.GetByExternalIdAsync(s, projectId, externalId, ct))?.Id ?? Guid.Empty;

    /// <summary>A filter on the owner of a nested list (the user of <c>/users/{id}/…</c>): the owner, or nothing when the query asks for another.</summary>
    public static Guid Within(Guid? filter, Guid owner) => filter is null || filter == owner ? owner : Guid.Empty;

    private string? Keep(string? value)
    {
        _values.Add(value);
        return value;
    }

    private T Fail<T>(string name, T value)
    {
        Error ??= ApiError.InvalidParam(name);
        return value;
    }
}
