using Microsoft.AspNetCore.Http.HttpResults;
using Notiflows.Core.Common;
using Notiflows.Core.Secrets;
using Notiflows.Server.Auth;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Infrastructure.Paging;
using Notiflows.Server.Startup;
using Notiflows.Storage.Accounts;
using Notiflows.Storage.Database;
using Notiflows.Storage.Projects;

namespace Notiflows.Server.Api.Management.Account;

/// <summary><c>whoami</c> (§8.1) and account tokens (§8.3).</summary>
public static class AccountEndpoints
{
    public static void MapAccountEndpoints(this RouteGroupBuilder root, RouteNames names)
    {
        root.MapGet("/whoami", WhoAmI).WithTags("Account").WithName(names.Of("WhoAmI")).WithSummary("The calling token, its account and projects.");
        var g = root.MapGroup("/account-tokens").WithTags("Account tokens");
        g.MapGet("", List).WithName(names.Of("ListAccountTokens")).WithSummary("List account tokens (values are never returned).");
        g.MapPost("", Create).WithName(names.Of("CreateAccountToken")).WithSummary("Create an account token (shown once).")
            .WithRequestBody<NameBody>();
        g.MapPatch("/{id}", Rename).WithName(names.Of("RenameAccountToken")).WithSummary("Rename an account token.")
            .WithRequestBody<NameBody>();
        g.MapDelete("/{id}", Revoke).WithName(names.Of("RevokeAccountToken")).WithSummary("Revoke an account token immediately.");
    }

    private static async Task<Ok<WhoAmIResponse>> WhoAmI(HttpContext http, Db db, CancellationToken ct)
    {
        var caller = http.Management();
        return TypedResults.Ok(await db.ReadAsync(async s =>
        {
            var account = (await AccountStore.GetAsync(s, caller.AccountId, ct))!;
            var token = (await AccountStore.GetTokenAsync(s, caller.AccountId, caller.TokenId, ct))!;
            var projects = await ProjectStore.ListAsync(s, caller.AccountId, 0, int.MaxValue, ct);
            var def = projects.FirstOrDefault(p => p.IsDefault);
            return new WhoAmIResponse(
                new AccountResponse(account.Id, account.Name, account.CreatedAt), AccountTokenResponse.From(token),
                def is null ? null : new ProjectRef(def.Id, def.Slug, def.Name),
                projects.Select(p => new ProjectListRef(p.Id, p.Slug, p.Name, p.IsDefault)).ToList());
        }, ct));
    }

    private static async Task<Results<Ok<PagedList<AccountTokenResponse>>, ApiError>> List(HttpContext http, Db db, CancellationToken ct)
    {
        if (PageNumber.TryParse(http.Request, out var page) is { } error)
        {
            return error;
        }
        var accountId = http.Management().AccountId;
        var (rows, total) = await db.ReadAsync(async s =>
            (await AccountStore.ListTokensAsync(s, accountId, page.Offset, page.Limit, ct), await AccountStore.CountTokensAsync(s, accountId, ct)), ct);
        return TypedResults.Ok(page.Result(rows.Select(AccountTokenResponse.From).ToList(), total));
    }

    private static async Task<Results<Created<CreatedAccountTokenResponse>, ApiError>> Create(
        HttpContext http, Db db, IdGenerator ids, TimeProvider time, ServerSettings settings, CancellationToken ct)
    {
        var (name, error) = await ReadNameAsync(http, settings, ct);
        if (error is not null)
        {
            return error;
        }
        var token = Credentials.NewAccountToken();
        var row = new AccountTokenRow
        {
            Id = ids.New(), AccountId = http.Management().AccountId, Name = name!, TokenHash = Credentials.Hash(token),
            TokenHint = Bootstrapper.TokenHint(token), CreatedAt = time.Now(),
        };
        await db.WriteAsync(s => AccountStore.InsertTokenAsync(s, row, ct), ct);
        return TypedResults.Created((string?)null, new CreatedAccountTokenResponse(row.Id, row.Name, row.TokenHint, row.CreatedAt, null, token));
    }

    private static async Task<Results<Ok<AccountTokenResponse>, ApiError>> Rename(
        string id, HttpContext http, Db db, ServerSettings settings, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var tokenId))
        {
            return ApiError.InvalidUuid("id");
        }
        var (name, error) = await ReadNameAsync(http, settings, ct);
        if (error is not null)
        {
            return error;
        }
        var accountId = http.Management().AccountId;
        var row = await db.WriteAsync(async s =>
        {
            if (await AccountStore.GetTokenAsync(s, accountId, tokenId, ct) is null)
            {
                return null;
            }
            await AccountStore.RenameTokenAsync(s, tokenId, name!, ct);
            return await AccountStore.GetTokenAsync(s, accountId, tokenId, ct);
        }, ct);
        return row is null ? ApiError.NotFound("account_token", id) : TypedResults.Ok(AccountTokenResponse.From(row));
    }

    private static async Task<Results<NoContent, ApiError>> Revoke(string id, HttpContext http, Db db, CancellationToken ct)
    {
        if (!Guid.TryParse(id, out var tokenId))
        {
            return ApiError.InvalidUuid("id");
        }
        var accountId = http.Management().AccountId;
        var error = await db.WriteAsync(async s =>
        {
            if (await AccountStore.GetTokenAsync(s, accountId, tokenId, ct) is null)
            {
                return ApiError.NotFound("account_token", id);
            }
            if (await AccountStore.CountTokensAsync(s, accountId, ct) <= 1)
            {
                return ApiError.Conflict("The account's last token cannot be revoked", ("reason", "last_token"));
            }
            await AccountStore.DeleteTokenAsync(s, tokenId, ct);
            return null;
        }, ct);
        return error is not null ? error : TypedResults.NoContent();
    }

    private static async Task<(string? Name, ApiError? Error)> ReadNameAsync(HttpContext http, ServerSettings settings, CancellationToken ct)
    {
        var (body, bodyError) = await JsonBody.ReadAsync(http.Request, settings.BodyLimit, ct);
        if (bodyError is not null)
        {
            return (null, bodyError);
        }
        var errors = new List<FieldError>();
        var reader = new ObjectReader(body, "", errors);
        var name = reader.String("name", 1, 255);
        if (errors.Count == 0 && name.Value is null)
        {
            reader.Add("name", "can't be blank", Reasons.Required);
        }
        return errors.Count > 0 ? (null, ApiError.Validation(errors)) : (name.Value, null);
    }
}
