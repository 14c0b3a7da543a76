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

/// <summary>Users (§6.1): get and upsert by external id.</summary>
public static class UserEndpoints
{
    public static void MapUserEndpoints(this RouteGroupBuilder root, RouteNames names)
    {
        var g = root.MapGroup("/users").WithTags("Admin: users");
        g.MapGet("/{user_id}", Get).WithName(names.Of("GetUser")).WithSummary("Get a user by external id.");
        g.MapPut("/{user_id}", Upsert).WithName(names.Of("UpsertUser")).WithSummary("Create or update a user.")
            .WithRequestBody<UserResponse>();
    }

    private static async Task<Results<Ok<UserResponse>, ApiError>> Get(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "user_id")] string userId, HttpContext http, Db db, CancellationToken ct)
    {
        var projectId = http.Project().Id;
        var user = await db.ReadAsync(s => UserStore.GetByExternalIdAsync(s, projectId, userId, ct), ct);
        return user is null ? ApiError.NotFound("user", userId) : TypedResults.Ok(UserResponse.From(user));
    }

    private static async Task<Results<Ok<UserResponse>, Created<UserResponse>, ApiError>> Upsert(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "user_id")] string userId, HttpContext http, Db db, UserWriter writer, TimeProvider time,
        ServerSettings settings, CancellationToken ct)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(http.Request, settings.BodyLimit, ct);
        if (bodyError is not null)
        {
            return bodyError;
        }
        userId = UserPaths.ExternalId(userId); // "a%2Fb" is the forbidden "a/b" (422 format)
        var errors = new List<FieldError>();
        UserFields.CheckExternalId(userId, "external_id", errors);
        var r = new ObjectReader(body, "", errors);
        var bodyId = r.String("external_id");
        if (bodyId.Value is not null && !string.Equals(bodyId.Value, userId, StringComparison.Ordinal))
        {
            r.Add("external_id", "must equal the external id in the path", Reasons.Invalid);
        }
        var input = UserFields.ParseAttributes(r, userId);
        var preferences = await PreferenceWriter.ResolveAsync(db, http.Project().Id, PreferenceUpdate.Read(r, "preferences"), errors, ct);
        var channelSettings = UserChannelSettings.Read(r);
        var projectId = http.Project().Id;
        var (user, created, error) = await db.WriteAsync<(UserRow?, bool, ApiError?)>(async s =>
        {
            // Validated inside the transaction (channel_settings names channels), before anything is written: all errors together.
            var problems = await channelSettings.ResolveAsync(s, projectId, errors, ct);
            if (problems.Count > 0)
            {
                return (null, false, ApiError.Validation(problems));
            }
            var existed = await UserStore.GetByExternalIdAsync(s, projectId, userId, ct) is not null;
            var now = time.Now();
            var rows = await writer.UpsertManyAsync(s, projectId, [input], now, ct);
            await channelSettings.ApplyAsync(s, rows[userId], now, ct);
            await PreferenceWriter.SaveAsync(s, projectId, rows[userId].Id, preferences, now, ct);
            return (rows[userId], !existed, null);
        }, ct);
        if (error is not null)
        {
            return error;
        }
        return created ? TypedResults.Created((string?)null, UserResponse.From(user!)) : TypedResults.Ok(UserResponse.From(user!));
    }
}
