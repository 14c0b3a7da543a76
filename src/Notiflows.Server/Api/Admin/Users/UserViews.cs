using System.Text.Json;
using System.Text.Json.Nodes;
using Notiflows.Server.Infrastructure;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Api.Admin.Users;

/// <summary>A user (§5.1) as responses show it.</summary>
public sealed record UserResponse(
    Guid Id, string ExternalId, string? Email, string? Phone, string? FirstName, string? LastName, string? Avatar, string? Locale,
    string? Timezone, JsonObject CustomFields, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static UserResponse From(UserRow u) => new(u.Id, u.ExternalId, u.Email, u.Phone, u.FirstName, u.LastName, u.Avatar, u.Locale,
        u.Timezone, JsonNode.Parse(u.CustomFields) as JsonObject ?? [], u.CreatedAt, u.UpdatedAt);

    /// <summary>The same object as JSON, for conditions and templates (§10.2, §11.2).</summary>
    public static JsonObject Json(UserRow u) => JsonSerializer.SerializeToNode(From(u), JsonDefaults.Options)!.AsObject();
}
