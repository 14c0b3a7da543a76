namespace Notiflows.Storage.Users;

public sealed class UserRow
{
    public Guid Id { get; init; }
    public Guid ProjectId { get; init; }
    public string ExternalId { get; init; } = "";
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    public string? Avatar { get; set; }
    public string? Locale { get; set; }
    public string? Timezone { get; set; }
    /// <summary>JSON object.</summary>
    public string CustomFields { get; set; } = "{}";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}
