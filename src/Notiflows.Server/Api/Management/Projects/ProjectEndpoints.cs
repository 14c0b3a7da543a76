using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Notiflows.Core.Common;
using Notiflows.Server.Auth;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Infrastructure.Paging;
using Notiflows.Server.Startup;
using Notiflows.Storage.Database;
using Notiflows.Storage.Projects;

namespace Notiflows.Server.Api.Management.Projects;

/// <summary>Projects (§8.1): list, get, create, patch; settings, keys and signing key live in <see cref="ProjectKeyEndpoints"/>.</summary>
public static partial class ProjectEndpoints
{
    // \z, not $: "$" also matches before a trailing newline, which would let "shop\n" through.
    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();

    public static void MapProjectEndpoints(this RouteGroupBuilder root, RouteNames names)
    {
        var g = root.MapGroup("/projects").WithTags("Projects");
        g.MapGet("", List).WithName(names.Of("ListProjects")).WithSummary("List the account's projects.");
        g.MapGet("/{slug}", Get).WithName(names.Of("GetProject")).WithSummary("One project.");
        g.MapPost("", Create).WithName(names.Of("CreateProject")).WithSummary("Create a project with built-in channels and a key pair.")
            .WithRequestBody<CreateProjectBody>();
        g.MapPatch("/{slug}", Patch).WithName(names.Of("PatchProject")).WithSummary("Rename a project or make it the default.")
            .WithRequestBody<PatchProjectBody>();
        g.MapProjectKeyEndpoints(names);
    }

    private static async Task<Results<Ok<PagedList<ProjectResponse>>, ApiError>> List(HttpContext http, Db db, CancellationToken ct)
    {
        if (PageNumber.TryParse(http.Request, out var page) is { } error)
        {
            return error;
        }
        var accountId = http.Management().AccountId;
        var (rows, total) = await db.ReadAsync(async s =>
            (await ProjectStore.ListAsync(s, accountId, page.Offset, page.Limit, ct), await ProjectStore.CountAsync(s, accountId, ct)), ct);
        return TypedResults.Ok(page.Result(rows.Select(ProjectResponse.From).ToList(), total));
    }

    private static async Task<Results<Ok<ProjectResponse>, ApiError>> Get(string slug, HttpContext http, Db db, CancellationToken ct)
    {
        var accountId = http.Management().AccountId;
        var row = await db.ReadAsync(s => ProjectStore.GetBySlugAsync(s, accountId, slug, ct), ct);
        return row is null ? ApiError.NotFound("project", slug) : TypedResults.Ok(ProjectResponse.From(row));
    }

    private static async Task<Results<Created<CreatedProjectResponse>, ApiError>> Create(
        HttpContext http, Db db, ProjectCreator creator, ServerSettings settings, TimeProvider time, CancellationToken ct)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(http.Request, settings.BodyLimit, ct);
        if (bodyError is not null)
        {
            return bodyError;
        }
        var errors = new List<FieldError>();
        var r = new ObjectReader(body, "", errors);
        var slug = r.String("slug"); // its length is part of its format (§4.3): 1-64 characters → 422 format
        var name = r.String("name", 1, 255);
        var makeDefault = r.Bool("default");
        if (slug.Value is null && !errors.Exists(e => e.Field == "slug"))
        {
            r.Add("slug", "can't be blank", Reasons.Required);
        }
        else if (slug.Value is not null && (slug.Value.Length > 64 || !SlugPattern().IsMatch(slug.Value)))
        {
            r.Add("slug", "must be lowercase letters, digits and single dashes", Reasons.Format);
        }
        if (name.Value is null && !errors.Exists(e => e.Field == "name"))
        {
            r.Add("name", "can't be blank", Reasons.Required);
        }
        if (errors.Count > 0)
        {
            return ApiError.Validation(errors);
        }
        var accountId = http.Management().AccountId;
        try
        {
            var (row, secret) = await db.WriteAsync<(ProjectRow?, string?)>(async s =>
            {
                if (await ProjectStore.GetBySlugAsync(s, accountId, slug.Value!, ct) is not null)
                {
                    return (null, null);
                }
                if (makeDefault.Value == true)
                {
                    await ProjectStore.ClearDefaultAsync(s, accountId, time.Now(), ct);
                }
                var created = await creator.CreateAsync(s, accountId, slug.Value!, name.Value!, makeDefault.Value == true, null, null, ct);
                return (await ProjectStore.GetByIdAsync(s, created.Id, ct), created.SecretKey);
            }, ct);
            return row is null ? Taken() : TypedResults.Created((string?)null, WithSecret(ProjectResponse.From(row), secret!));
        }
        catch (Exception ex) when (Db.IsUniqueViolation(ex))
        {
            return Taken();
        }
    }

    private static async Task<Results<Ok<ProjectResponse>, ApiError>> Patch(
        string slug, HttpContext http, Db db, ServerSettings settings, TimeProvider time, CancellationToken ct)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(http.Request, settings.BodyLimit, ct);
        if (bodyError is not null)
        {
            return bodyError;
        }
        var errors = new List<FieldError>();
        var r = new ObjectReader(body, "", errors);
        var name = r.String("name", 1, 255);
        var makeDefault = r.Bool("default");
        if (name.IsNull)
        {
            r.Add("name", "can't be blank", Reasons.Required);
        }
        if (makeDefault.IsPresent && makeDefault.Value != true)
        {
            r.Add("default", "make another project the default instead", Reasons.NotAllowed);
        }
        if (errors.Count > 0)
        {
            return ApiError.Validation(errors);
        }
        var accountId = http.Management().AccountId;
        var row = await db.WriteAsync(async s =>
        {
            var p = await ProjectStore.GetBySlugAsync(s, accountId, slug, ct);
            if (p is null)
            {
                return null;
            }
            var now = time.Now();
            if (makeDefault.Value == true && !p.IsDefault)
            {
                await ProjectStore.ClearDefaultAsync(s, accountId, now, ct);
                p.IsDefault = true;
            }
            p.Name = name.Value ?? p.Name;
            p.UpdatedAt = now;
            await ProjectStore.UpdateAsync(s, p, ct);
            return await ProjectStore.GetByIdAsync(s, p.Id, ct);
        }, ct);
        return row is null ? ApiError.NotFound("project", slug) : TypedResults.Ok(ProjectResponse.From(row));
    }

    private static ApiError Taken() => ApiError.Validation("slug", "has already been taken", Reasons.Taken);

    private static CreatedProjectResponse WithSecret(ProjectResponse p, string secret) =>
        new(p.Id, p.Slug, p.Name, p.Default, p.PublicKey, p.SecretKeyHint, p.SigningKey, p.Settings, p.CreatedAt, p.UpdatedAt, secret);
}
