namespace Notiflows.Storage.Projects;

public sealed class ProjectRow
{
    public Guid Id { get; init; }
    public Guid AccountId { get; init; }
    public string Slug { get; init; } = "";
    public string Name { get; set; } = "";
    public bool IsDefault { get; set; }
    public bool SecurityMode { get; set; } = true;
    public string AllowedOrigins { get; set; } = "[]";
    public string? SigningPublicKeyPem { get; set; }
    public DateTimeOffset? SigningKeyCreatedAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>The current public key (joined from project_keys).</summary>
    public string PublicKey { get; init; } = "";
    /// <summary>The current secret key's hint (joined from project_keys).</summary>
    public string SecretKeyHint { get; init; } = "";
}

public sealed class ProjectKeyRow
{
    public Guid Id { get; init; }
    public Guid ProjectId { get; init; }
    /// <summary><c>public</c> or <c>secret</c>.</summary>
    public string Kind { get; init; } = "";
    public string? PublicKey { get; init; }
    public byte[] KeyHash { get; init; } = [];
    public string KeyHint { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
}
