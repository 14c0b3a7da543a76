using Microsoft.AspNetCore.Http.HttpResults;
using Notiflows.Core.Common;
using Notiflows.Core.Users;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Startup;
using Notiflows.Server.Users;
using Notiflows.Storage.Database;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Api.UserSettings;

/// <summary>
/// A user's preferences (§5.8): read, and update partially. One implementation behind the Admin API
/// (<c>/users/{user_id}/preferences</c>, §6.4) and the User API (<c>/preferences</c>, §7.1).
/// </summary>
public sealed class PreferenceService(Db db, TimeProvider time, ServerSettings settings)
{
    public Task<Results<Ok<PreferencesResponse>, ApiError>> GetAsync(UserTarget user, CancellationToken ct) =>
        db.ReadAsync<Results<Ok<PreferencesResponse>, ApiError>>(async s =>
        {
            if (await user.FindAsync(s, false, ct) is not { } row)
            {
                return user.Missing;
            }
            var set = PreferenceSet.Parse(await PreferenceStore.GetAsync(s, row.Id, ct));
            return TypedResults.Ok(PreferencesResponse.From(set, await PreferenceStore.ListedAsync(s, user.ProjectId, ct)));
        }, ct);

    /// <summary>Applies the partial update (every bad key reported, nothing written then) and returns the full result.</summary>
    public async Task<Results<Ok<PreferencesResponse>, ApiError>> PutAsync(UserTarget user, HttpRequest request, CancellationToken ct)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(request, settings.BodyLimit, ct);
        if (bodyError is not null)
        {
            return bodyError;
        }
        var errors = new List<FieldError>();
        var update = PreferenceUpdate.Parse(body, "", errors);
        return await db.WriteAsync<Results<Ok<PreferencesResponse>, ApiError>>(async s =>
        {
            if (await user.FindAsync(s, false, ct) is not { } row)
            {
                return user.Missing;
            }
            // A fresh list: a transaction run again (PostgreSQL deadlock retry) must not report the same keys twice.
            var found = new List<FieldError>(errors);
            var resolved = await PreferenceWriter.ResolveAsync(s, user.ProjectId, update, found, ct);
            if (resolved is null)
            {
                return ApiError.Validation(found);
            }
            var set = await PreferenceWriter.SaveAsync(s, user.ProjectId, row.Id, resolved, time.Now(), ct);
            return TypedResults.Ok(PreferencesResponse.From(set!, await PreferenceStore.ListedAsync(s, user.ProjectId, ct)));
        }, ct);
    }
}
