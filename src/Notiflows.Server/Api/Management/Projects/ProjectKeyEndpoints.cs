using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Notiflows.Core.Common;
using Notiflows.Core.Secrets;
using Notiflows.Server.Auth;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Realtime;
using Notiflows.Server.Startup;
using Notiflows.Storage.Database;
using Notiflows.Storage.Projects;

namespace Notiflows.Server.Api.Management.Projects;

public sealed record RotateKeysBody(string? Keys = null, int? GracePeriodSeconds = null);

public sealed record RotatedKeysResponse(string PublicKey, string? SecretKey, DateTimeOffset? PreviousKeysExpireAt);

public sealed record SigningKeyResponse(string PublicKeyPem, string PrivateKeyPem, string PrivateKeyBase64, DateTimeOffset CreatedAt);

/// <summary>Project settings, key rotation and the signing key (§8.2); canonical form only.</summary>
public static class ProjectKeyEndpoints
{
    public static void MapProjectKeyEndpoints(this RouteGroupBuilder g, RouteNames names)
    {
        g.MapGet("/{slug}/settings", GetSettings).WithName(names.Of("GetProjectSettings")).WithSummary("Project settings.");
        g.MapPut("/{slug}/settings", PutSettings).WithName(names.Of("PutProjectSettings")).WithSummary("Update project settings (partial).")
            .WithRequestBody<ProjectSettings>();
        g.MapPost("/{slug}/keys/rotate", Rotate).WithName(names.Of("RotateProjectKeys")).WithSummary("Rotate the project's keys.")
            .WithRequestBody<RotateKeysBody>();
        g.MapPost("/{slug}/signing-key", NewSigningKey).WithName(names.Of("CreateSigningKey"))
            .WithSummary("Generate a new RSA-2048 signing key; the private key is returned once.");
    }

    private static async Task<Results<Ok<ProjectSettings>, ApiError>> GetSettings(string slug, HttpContext http, Db db, CancellationToken ct)
    {
        var accountId = http.Management().AccountId;
        var p = await db.ReadAsync(s => ProjectStore.GetBySlugAsync(s, accountId, slug, ct), ct);
        return p is null ? ApiError.NotFound("project", slug) : TypedResults.Ok(ProjectResponse.SettingsOf(p));
    }

    private static async Task<Results<Ok<ProjectSettings>, ApiError>> PutSettings(
        string slug, HttpContext http, Db db, ServerSettings settings, TimeProvider time, CancellationToken ct)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(http.Request, settings.BodyLimit, ct);
        if (bodyError is not null)
        {
            return bodyError;
        }
        var errors = new List<FieldError>();
        var r = new ObjectReader(body, "", errors);
        var securityMode = r.Bool("security_mode");
        var origins = ReadOrigins(r);
        if (errors.Count > 0)
        {
            return ApiError.Validation(errors);
        }
        var accountId = http.Management().AccountId;
        var p = await db.WriteAsync(async s =>
        {
            var p = await ProjectStore.GetBySlugAsync(s, accountId, slug, ct);
            if (p is null)
            {
                return null;
            }
            if (securityMode.IsPresent)
            {
                p.SecurityMode = securityMode.Value ?? true;
            }
            if (origins is not null)
            {
                p.AllowedOrigins = JsonSerializer.Serialize(origins);
            }
            p.UpdatedAt = time.Now();
            await ProjectStore.UpdateAsync(s, p, ct);
            return p;
        }, ct);
        return p is null ? ApiError.NotFound("project", slug) : TypedResults.Ok(ProjectResponse.SettingsOf(p));
    }

    private static List<string>? ReadOrigins(ObjectReader r)
    {
        var raw = r.Raw("allowed_origins");
        if (!raw.IsPresent)
        {
            return null;
        }
        if (raw.Value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (raw.Value.ValueKind != JsonValueKind.Array)
        {
            r.Add("allowed_origins", "must be an array of origins", Reasons.Invalid);
            return null;
        }
        if (raw.Value.GetArrayLength() > 50)
        {
            r.Add("allowed_origins", "must have at most 50 origins", Reasons.TooMany);
            return null;
        }
        var result = new List<string>();
        var i = 0;
        foreach (var item in raw.Value.EnumerateArray())
        {
            var normalised = item.ValueKind == JsonValueKind.String ? Origins.Normalise(item.GetString()!) : null;
            if (normalised is null)
            {
                r.Add($"allowed_origins[{i}]", "must be an origin such as https://app.example.com (http only for localhost)", Reasons.Format);
            }
            else if (!result.Contains(normalised, StringComparer.Ordinal))
            {
                result.Add(normalised);
            }
            i++;
        }
        return result;
    }

    private static async Task<Results<Ok<RotatedKeysResponse>, ApiError>> Rotate(
        string slug, HttpContext http, Db db, IdGenerator ids, ServerSettings settings, TimeProvider time, KeyCache cache, CancellationToken ct)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(http.Request, settings.BodyLimit, ct);
        if (bodyError is not null)
        {
            return bodyError;
        }
        var errors = new List<FieldError>();
        var r = new ObjectReader(body, "", errors);
        var keys = r.String("keys").Value ?? "both";
        var grace = r.Integer("grace_period_seconds", 0, 604800).Value ?? 0;
        if (keys is not ("both" or "secret" or "public") && !errors.Exists(e => e.Field == "keys"))
        {
            r.Add("keys", "must be one of both, secret, public", Reasons.Invalid);
        }
        if (errors.Count > 0)
        {
            return ApiError.Validation(errors);
        }
        var accountId = http.Management().AccountId;
        var result = await db.WriteAsync(async s =>
        {
            var p = await ProjectStore.GetBySlugAsync(s, accountId, slug, ct);
            if (p is null)
            {
                return null;
            }
            var now = time.Now();
            var expires = now.AddSeconds(grace);
            string? secret = null;
            var publicKey = p.PublicKey;
            if (keys is "both" or "public")
            {
                publicKey = Credentials.NewPublicKey();
                await Replace(s, p.Id, "public", publicKey, publicKey, now, expires);
            }
            if (keys is "both" or "secret")
            {
                secret = Credentials.NewSecretKey();
                await Replace(s, p.Id, "secret", secret, ProjectCreator.SecretHint(secret), now, expires);
            }
            return new RotatedKeysResponse(publicKey, secret, grace > 0 ? expires : null);
        }, ct);
        cache.Clear();
        return result is null ? ApiError.NotFound("project", slug) : TypedResults.Ok(result);

        async Task Replace(DbSession s, Guid projectId, string kind, string value, string hint, DateTimeOffset now, DateTimeOffset expires)
        {
            await ProjectStore.ExpireKeysAsync(s, projectId, kind, now, expires, ct);
            await ProjectStore.InsertKeyAsync(s, new ProjectKeyRow
            {
                Id = ids.New(), ProjectId = projectId, Kind = kind, PublicKey = kind == "public" ? value : null,
                KeyHash = Credentials.Hash(value), KeyHint = hint, CreatedAt = now,
            }, ct);
        }
    }

    private static async Task<Results<Created<SigningKeyResponse>, ApiError>> NewSigningKey(
        string slug, HttpContext http, Db db, TimeProvider time, FeedPublisher feed, CancellationToken ct)
    {
        using var rsa = RSA.Create(2048);
        var publicPem = rsa.ExportSubjectPublicKeyInfoPem();
        var privatePem = rsa.ExportPkcs8PrivateKeyPem();
        var accountId = http.Management().AccountId;
        var now = time.Now();
        var found = await db.WriteAsync(async s =>
        {
            var p = await ProjectStore.GetBySlugAsync(s, accountId, slug, ct);
            if (p is null)
            {
                return false;
            }
            p.SigningPublicKeyPem = publicPem;
            p.SigningKeyCreatedAt = now;
            p.UpdatedAt = now;
            await ProjectStore.UpdateAsync(s, p, ct);
            // Every user key signed with the previous key is invalid now (§3.3): realtime connections using one end.
            await feed.PublishAsync(s, [new FeedSignal(p.Id, Guid.Empty, Guid.Empty, FeedSignal.Revoked, [])], ct);
            return true;
        }, ct);
        return !found
            ? ApiError.NotFound("project", slug)
            : TypedResults.Created((string?)null,
                new SigningKeyResponse(publicPem, privatePem, Convert.ToBase64String(Encoding.UTF8.GetBytes(privatePem)), now));
    }
}
