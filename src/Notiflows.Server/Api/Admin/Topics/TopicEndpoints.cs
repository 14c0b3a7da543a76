using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Notiflows.Core.Common;
using Notiflows.Core.Runs;
using Notiflows.Server.Auth;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Infrastructure.Paging;
using Notiflows.Server.Startup;
using Notiflows.Storage.Database;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Api.Admin.Topics;

/// <summary>A subscription (§5.4). A class with init properties: Dapper reads it straight from the row.</summary>
public sealed class SubscriptionResponse
{
    public Guid Id { get; init; }
    public string TopicName { get; init; } = "";
    public Guid UserId { get; init; }
    public string UserExternalId { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>A topic (§5.3).</summary>
public sealed class TopicResponse
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public long SubscriberCount { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed record BulkFailure(string ExternalId, string Reason);

public sealed record BulkSubscribeResponse(IReadOnlyList<SubscriptionResponse> Successful, IReadOnlyList<BulkFailure> Failed);

public sealed record BulkUnsubscribed(string ExternalId, bool Removed);

public sealed record BulkUnsubscribeResponse(IReadOnlyList<BulkUnsubscribed> Successful, IReadOnlyList<BulkFailure> Failed);

public sealed record TopicNameBody(string TopicName);

public sealed record ExternalIdsBody(IReadOnlyList<string> UserExternalIds);

/// <summary>Topics and subscriptions (§6.2, §6.9): what broadcasts fan out to.</summary>
public static class TopicEndpoints
{
    internal const string SubscriptionSelect = """
        SELECT s.id, t.name AS topic_name, s.user_id, u.external_id AS user_external_id, s.created_at
        FROM subscriptions s JOIN topics t ON t.id = s.topic_id JOIN users u ON u.id = s.user_id
        """;

    public static void MapTopicEndpoints(this RouteGroupBuilder root, RouteNames names)
    {
        var users = root.MapGroup("/users/{user_id}/subscriptions").WithTags("Admin: subscriptions");
        users.MapPost("", Subscribe).WithName(names.Of("SubscribeUser")).WithSummary("Subscribe a user to a topic.").WithRequestBody<TopicNameBody>();
        users.MapDelete("/{topic_name}", Unsubscribe).WithName(names.Of("UnsubscribeUser")).WithSummary("Unsubscribe a user (idempotent).");
        var topics = root.MapGroup("/topics").WithTags("Admin: topics");
        topics.MapGet("", List).WithName(names.Of("ListTopics")).WithSummary("List topics, newest first (cursor paging).");
        topics.MapGet("/{topic}", GetTopic).WithName(names.Of("GetTopic")).WithSummary("One topic.");
        topics.MapGet("/{topic}/subscriptions", Subscribers).WithName(names.Of("ListTopicSubscriptions")).WithSummary("A topic's subscriptions.");
        topics.MapPost("/{topic}/subscriptions", BulkSubscribe).WithName(names.Of("BulkSubscribe")).WithSummary("Subscribe many users.")
            .WithRequestBody<ExternalIdsBody>();
        topics.MapDelete("/{topic}/subscriptions", BulkUnsubscribe).WithName(names.Of("BulkUnsubscribe")).WithSummary("Unsubscribe many users.")
            .WithRequestBody<ExternalIdsBody>();
    }

    private static async Task<Results<Ok<SubscriptionResponse>, Created<SubscriptionResponse>, ApiError>> Subscribe(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "user_id")] string userId, HttpContext http, Db db, IdGenerator ids, TimeProvider time,
        ServerSettings settings, CancellationToken ct)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(http.Request, settings.BodyLimit, ct);
        if (bodyError is not null)
        {
            return bodyError;
        }
        var errors = new List<FieldError>();
        var name = new ObjectReader(body, "", errors).String("topic_name");
        if (name.Value is null && errors.Count == 0)
        {
            errors.Add(new FieldError("topic_name", "can't be blank", Reasons.Required));
        }
        else if (name.Value is not null)
        {
            RunRequestParser.CheckTopic(name.Value, "topic_name", errors);
        }
        var projectId = http.Project().Id;
        return await db.WriteAsync<Results<Ok<SubscriptionResponse>, Created<SubscriptionResponse>, ApiError>>(async s =>
        {
            var user = await UserStore.GetByExternalIdAsync(s, projectId, userId, ct);
            if (user is null)
            {
                return ApiError.NotFound("user", userId);
            }
            if (errors.Count > 0)
            {
                return ApiError.Validation(errors);
            }
            var (sub, created) = await SubscribeAsync(s, ids, projectId, name.Value!, user, time.Now(), ct);
            return created ? TypedResults.Created((string?)null, sub) : TypedResults.Ok(sub);
        }, ct);
    }

    private static async Task<Results<NoContent, ApiError>> Unsubscribe(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "user_id")] string userId, [Microsoft.AspNetCore.Mvc.FromRoute(Name = "topic_name")] string topicName,
        HttpContext http, Db db, CancellationToken ct)
    {
        var projectId = http.Project().Id;
        return await db.WriteAsync<Results<NoContent, ApiError>>(async s =>
        {
            var user = await UserStore.GetByExternalIdAsync(s, projectId, userId, ct);
            if (user is null)
            {
                return ApiError.NotFound("user", userId);
            }
            await s.ExecuteAsync("""
                DELETE FROM subscriptions WHERE user_id = @userId AND topic_id IN (SELECT id FROM topics WHERE project_id = @projectId AND name = @topicName)
                """, new { userId = user.Id, projectId, topicName }, ct);
            return TypedResults.NoContent();
        }, ct);
    }

    private static async Task<Results<Ok<CursorList<TopicResponse>>, ApiError>> List(HttpContext http, Db db, CancellationToken ct)
    {
        var projectId = http.Project().Id;
        var scope = CursorPage.Scope("topics", projectId);
        if (CursorPage.TryParse(http.Request, scope, 25, 1000, out var page) is { } error)
        {
            return error;
        }
        var rows = await db.ReadAsync(s => s.QueryAsync<TopicResponse>($"""
            SELECT t.id, t.name, (SELECT COUNT(*) FROM subscriptions s WHERE s.topic_id = t.id) AS subscriber_count, t.created_at FROM topics t
            WHERE t.project_id = @projectId{DbSession.Bounds("t.id", page.OlderId, page.NewerId)}
            ORDER BY t.id {page.Order} LIMIT @limit
            """, new { projectId, older = page.OlderId, newer = page.NewerId, limit = page.Limit + 1 }, ct), ct);
        return TypedResults.Ok(page.Page(rows, scope, t => t.Id));
    }

    private static async Task<Results<Ok<TopicResponse>, ApiError>> GetTopic(string topic, HttpContext http, Db db, CancellationToken ct)
    {
        var projectId = http.Project().Id;
        var row = await db.ReadAsync(s => s.QueryOneAsync<TopicResponse>("""
            SELECT t.id, t.name, (SELECT COUNT(*) FROM subscriptions s WHERE s.topic_id = t.id) AS subscriber_count, t.created_at
            FROM topics t WHERE t.project_id = @projectId AND t.name = @topic
            """, new { projectId, topic }, ct), ct);
        return row is null ? ApiError.NotFound("topic", topic) : TypedResults.Ok(row);
    }

    private static async Task<Results<Ok<CursorList<SubscriptionResponse>>, ApiError>> Subscribers(string topic, HttpContext http, Db db, CancellationToken ct)
    {
        var projectId = http.Project().Id;
        if (!QueryParams.TryTimestamp(http.Request, "created_after", out var createdAfter, out var filterError)
            || !QueryParams.TryTimestamp(http.Request, "created_before", out var createdBefore, out filterError))
        {
            return filterError!;
        }
        var scope = CursorPage.Scope("topic_subscriptions", projectId, topic, createdAfter?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            createdBefore?.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        if (CursorPage.TryParse(http.Request, scope, 25, 1000, out var page) is { } error)
        {
            return error;
        }
        // Exclusive bounds on created_at, as for the feed (§7.2); a clause only for a bound that is set.
        var filters = (createdAfter is null ? "" : " AND s.created_at > @createdAfter") + (createdBefore is null ? "" : " AND s.created_at < @createdBefore");
        var rows = await db.ReadAsync(s => s.QueryAsync<SubscriptionResponse>($"""
            {SubscriptionSelect}
            WHERE t.project_id = @projectId AND t.name = @topic{filters}{DbSession.Bounds("s.id", page.OlderId, page.NewerId)}
            ORDER BY s.id {page.Order} LIMIT @limit
            """, new { projectId, topic, older = page.OlderId, newer = page.NewerId, createdAfter, createdBefore, limit = page.Limit + 1 }, ct), ct);
        return TypedResults.Ok(page.Page(rows, scope, x => x.Id));
    }

    private static async Task<IResult> BulkSubscribe(string topic, HttpContext http, Db db, IdGenerator ids, TimeProvider time, ServerSettings settings, CancellationToken ct)
    {
        var (externalIds, error) = await ReadIdsAsync(http, topic, settings, ct);
        if (error is not null)
        {
            return error;
        }
        var projectId = http.Project().Id;
        var response = await db.WriteAsync(async s =>
        {
            var users = (await UserStore.GetByExternalIdsAsync(s, projectId, externalIds!, ct)).ToDictionary(u => u.ExternalId, StringComparer.Ordinal);
            var ok = new List<SubscriptionResponse>();
            var failed = new List<BulkFailure>();
            var now = time.Now();
            foreach (var id in externalIds!)
            {
                if (users.TryGetValue(id, out var user))
                {
                    ok.Add((await SubscribeAsync(s, ids, projectId, topic, user, now, ct)).Item1);
                }
                else
                {
                    failed.Add(new BulkFailure(id, "User not found"));
                }
            }
            return new BulkSubscribeResponse(ok, failed);
        }, ct);
        return TypedResults.Json(response, JsonDefaults.Options, statusCode: response.Failed.Count > 0 ? 207 : 200);
    }

    private static async Task<IResult> BulkUnsubscribe(string topic, HttpContext http, Db db, ServerSettings settings, CancellationToken ct)
    {
        var (externalIds, error) = await ReadIdsAsync(http, topic, settings, ct);
        if (error is not null)
        {
            return error;
        }
        var projectId = http.Project().Id;
        var response = await db.WriteAsync(async s =>
        {
            var users = (await UserStore.GetByExternalIdsAsync(s, projectId, externalIds!, ct)).ToDictionary(u => u.ExternalId, StringComparer.Ordinal);
            var ok = new List<BulkUnsubscribed>();
            var failed = new List<BulkFailure>();
            foreach (var id in externalIds!)
            {
                if (!users.TryGetValue(id, out var user))
                {
                    failed.Add(new BulkFailure(id, "User not found"));
                    continue;
                }
                var removed = await s.ExecuteAsync("""
                    DELETE FROM subscriptions WHERE user_id = @userId AND topic_id IN (SELECT id FROM topics WHERE project_id = @projectId AND name = @topic)
                    """, new { userId = user.Id, projectId, topic }, ct);
                ok.Add(new BulkUnsubscribed(id, removed > 0));
            }
            return new BulkUnsubscribeResponse(ok, failed);
        }, ct);
        return TypedResults.Json(response, JsonDefaults.Options, statusCode: response.Failed.Count > 0 ? 207 : 200);
    }

    private static async Task<(List<string>? Ids, ApiError? Error)> ReadIdsAsync(HttpContext http, string topic, ServerSettings settings, CancellationToken ct)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(http.Request, settings.BodyLimit, ct);
        if (bodyError is not null)
        {
            return (null, bodyError);
        }
        var errors = new List<FieldError>();
        RunRequestParser.CheckTopic(topic, "topic", errors);
        var raw = new ObjectReader(body, "", errors).Raw("user_external_ids");
        List<string>? ids = null;
        if (!raw.IsPresent || raw.Value.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new FieldError("user_external_ids", "can't be blank", Reasons.Required));
        }
        else if (raw.Value.ValueKind != JsonValueKind.Array || raw.Value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            errors.Add(new FieldError("user_external_ids", "must be an array of external ids", Reasons.Invalid));
        }
        else if (raw.Value.GetArrayLength() is var n && n is 0 or > 1000)
        {
            errors.Add(new FieldError("user_external_ids", "must have 1-1000 external ids", n == 0 ? Reasons.TooShort : Reasons.TooMany));
        }
        else
        {
            ids = raw.Value.EnumerateArray().Select(e => e.GetString()!).Distinct(StringComparer.Ordinal).ToList();
        }
        return errors.Count > 0 ? (null, ApiError.Validation(errors)) : (ids, null);
    }

    /// <summary>Subscribes (creating the topic on first use); returns the existing subscription when there is one.</summary>
    private static async Task<(SubscriptionResponse, bool Created)> SubscribeAsync(
        DbSession s, IdGenerator ids, Guid projectId, string topic, UserRow user, DateTimeOffset now, CancellationToken ct)
    {
        await s.ExecuteAsync("""
            INSERT INTO topics (id, project_id, name, created_at) VALUES (@id, @projectId, @topic, @now) ON CONFLICT (project_id, name) DO NOTHING
            """, new { id = ids.New(), projectId, topic, now }, ct);
        var topicId = await s.QueryOneAsync<Guid>("SELECT id FROM topics WHERE project_id = @projectId AND name = @topic", new { projectId, topic }, ct);
        var created = await s.ExecuteAsync("""
            INSERT INTO subscriptions (id, project_id, topic_id, user_id, created_at) VALUES (@id, @projectId, @topicId, @userId, @now)
            ON CONFLICT (topic_id, user_id) DO NOTHING
            """, new { id = ids.New(), projectId, topicId, userId = user.Id, now }, ct) == 1;
        var sub = await s.QueryOneAsync<SubscriptionResponse>($"{SubscriptionSelect} WHERE s.topic_id = @topicId AND s.user_id = @userId",
            new { topicId, userId = user.Id }, ct);
        return (sub!, created);
    }
}
