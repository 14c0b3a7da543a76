using Microsoft.AspNetCore.Http.HttpResults;
using Notiflows.Core.Common;
using Notiflows.Core.Users;
using Notiflows.Server.Auth;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Startup;
using Notiflows.Server.Users;
using Notiflows.Storage.Database;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Api.Admin.Users;

/// <summary>A user's preferences (§5.8): every user-facing type, and every notiflow a user can set preferences for, by id.</summary>
public sealed record PreferencesResponse(
    IReadOnlyDictionary<string, bool> ChannelTypes, IReadOnlyDictionary<string, NotiflowPreferencesResponse> Notiflows)
{
    public static PreferencesResponse From(PreferenceSet set, IReadOnlyList<PreferenceNotiflow> listed) => new(
        Core.Channels.ChannelTypes.UserFacing.Order(StringComparer.Ordinal).ToDictionary(t => t, t => set.ChannelTypes.GetValueOrDefault(t, true)),
        listed.ToDictionary(n => n.Id.ToString(), n =>
        {
            var own = set.Notiflows.GetValueOrDefault(n.Id);
            return new NotiflowPreferencesResponse(own?.Enabled ?? true,
                (own?.ChannelTypes ?? []).OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary(), n.Name, n.Handle);
        }));
}

/// <summary>One notiflow in preferences: the switch, only the types the user set for it (<c>{}</c> if none), its name and handle.</summary>
public sealed record NotiflowPreferencesResponse(bool Enabled, IReadOnlyDictionary<string, bool> ChannelTypes, string Name, string Handle);

/// <summary>The body of <c>PUT …/preferences</c> as the OpenAPI document shows it (nulls reset, §5.8).</summary>
public sealed record PreferencesBody(IReadOnlyDictionary<string, bool?>? ChannelTypes, IReadOnlyDictionary<string, NotiflowPreferencesBody?>? Notiflows);

public sealed record NotiflowPreferencesBody(bool? Enabled, IReadOnlyDictionary<string, bool?>? ChannelTypes);

/// <summary>Preferences of a user (§6.4): read, and update partially.</summary>
public static class PreferenceEndpoints
{
    public static void MapPreferenceEndpoints(this RouteGroupBuilder root, RouteNames names)
    {
        var g = root.MapGroup("/users/{user_id}/preferences").WithTags("Admin: preferences");
        g.MapGet("", Get).WithName(names.Of("GetUserPreferences")).WithSummary("A user's preferences.");
        g.MapPut("", Update).WithName(names.Of("UpdateUserPreferences")).WithSummary("Update a user's preferences (partial).")
            .WithRequestBody<PreferencesBody>();
    }

    private static async Task<Results<Ok<PreferencesResponse>, ApiError>> Get(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "user_id")] string userId, HttpContext http, Db db, CancellationToken ct)
    {
        var projectId = http.Project().Id;
        return await db.ReadAsync<Results<Ok<PreferencesResponse>, ApiError>>(async s =>
        {
            var user = await UserStore.GetByExternalIdAsync(s, projectId, userId, ct);
            if (user is null)
            {
                return ApiError.NotFound("user", userId);
            }
            var set = PreferenceSet.Parse(await PreferenceStore.GetAsync(s, user.Id, ct));
            return TypedResults.Ok(PreferencesResponse.From(set, await PreferenceStore.ListedAsync(s, projectId, ct)));
        }, ct);
    }

    private static async Task<Results<Ok<PreferencesResponse>, ApiError>> Update(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "user_id")] string userId, HttpContext http, Db db, TimeProvider time, ServerSettings settings,
        CancellationToken ct)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(http.Request, settings.BodyLimit, ct);
        if (bodyError is not null)
        {
            return bodyError;
        }
        var errors = new List<FieldError>();
        var update = PreferenceUpdate.Parse(body, "", errors);
        var projectId = http.Project().Id;
        return await db.WriteAsync<Results<Ok<PreferencesResponse>, ApiError>>(async s =>
        {
            var user = await UserStore.GetByExternalIdAsync(s, projectId, userId, ct);
            if (user is null)
            {
                return ApiError.NotFound("user", userId);
            }
            var resolved = await PreferenceWriter.ResolveAsync(s, projectId, update, errors, ct);
            if (resolved is null)
            {
                return ApiError.Validation(errors);
            }
            var set = await PreferenceWriter.SaveAsync(s, projectId, user.Id, resolved, time.Now(), ct);
            return TypedResults.Ok(PreferencesResponse.From(set!, await PreferenceStore.ListedAsync(s, projectId, ct)));
        }, ct);
    }
}
