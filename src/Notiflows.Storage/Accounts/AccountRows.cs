namespace Notiflows.Storage.Accounts;

public sealed class AccountRow
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

public sealed class AccountTokenRow
{
    public Guid Id { get; init; }
    public Guid AccountId { get; init; }
    public string Name { get; init; } = "";
    public byte[] TokenHash { get; init; } = [];
    public string TokenHint { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? LastUsedAt { get; init; }
}
