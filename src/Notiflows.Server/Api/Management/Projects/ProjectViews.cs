using System.Text.Json;
using Notiflows.Storage.Projects;

namespace Notiflows.Server.Api.Management.Projects;

public sealed record SigningKeyInfo(bool Configured, string? PublicKeyPem, DateTimeOffset? CreatedAt);

public sealed record ProjectSettings(bool SecurityMode, IReadOnlyList<string> AllowedOrigins);

/// <summary>A project (§5.17).</summary>
public sealed record ProjectResponse(
    Guid Id, string Slug, string Name, bool Default, string PublicKey, string SecretKeyHint, SigningKeyInfo SigningKey,
    ProjectSettings Settings, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ProjectResponse From(ProjectRow p) => new(
        p.Id, p.Slug, p.Name, p.IsDefault, p.PublicKey, p.SecretKeyHint,
        new SigningKeyInfo(p.SigningPublicKeyPem is not null, p.SigningPublicKeyPem, p.SigningKeyCreatedAt),
        SettingsOf(p), p.CreatedAt, p.UpdatedAt);

    public static ProjectSettings SettingsOf(ProjectRow p) =>
        new(p.SecurityMode, JsonSerializer.Deserialize<List<string>>(p.AllowedOrigins) ?? []);
}

/// <summary>The creation response: the secret key appears here once.</summary>
public sealed record CreatedProjectResponse(
    Guid Id, string Slug, string Name, bool Default, string PublicKey, string SecretKeyHint, SigningKeyInfo SigningKey,
    ProjectSettings Settings, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, string SecretKey);

public sealed record CreateProjectBody(string Slug, string Name, bool? Default = null);

public sealed record PatchProjectBody(string? Name = null, bool? Default = null);
