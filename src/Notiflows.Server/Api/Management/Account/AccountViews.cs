using Notiflows.Storage.Accounts;

namespace Notiflows.Server.Api.Management.Account;

public sealed record AccountResponse(Guid Id, string Name, DateTimeOffset CreatedAt);

public sealed record AccountTokenResponse(Guid Id, string Name, string TokenHint, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt)
{
    public static AccountTokenResponse From(AccountTokenRow t) => new(t.Id, t.Name, t.TokenHint, t.CreatedAt, t.LastUsedAt);
}

/// <summary>The creation response: the token itself appears here and nowhere else.</summary>
public sealed record CreatedAccountTokenResponse(Guid Id, string Name, string TokenHint, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, string Token);

public sealed record ProjectRef(Guid Id, string Slug, string Name);

public sealed record ProjectListRef(Guid Id, string Slug, string Name, bool Default);

public sealed record WhoAmIResponse(AccountResponse Account, AccountTokenResponse Token, ProjectRef? DefaultProject, IReadOnlyList<ProjectListRef> Projects);

public sealed record NameBody(string? Name = null);
