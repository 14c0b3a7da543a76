using System.Text.Json.Nodes;
using Notiflows.Storage.Channels;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Api.UserSettings;

/// <summary>A user's settings for one channel (§5.6).</summary>
public sealed record ChannelSettingsResponse(
    Guid ChannelId, Guid UserId, string Provider, JsonObject Settings, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ChannelSettingsResponse From(ChannelSettingsRow row, ChannelRow channel) =>
        new(row.ChannelId, row.UserId, channel.Provider, JsonNode.Parse(row.Settings) as JsonObject ?? [], row.CreatedAt, row.UpdatedAt);
}

/// <summary>A web-push channel subscription (§5.7).</summary>
public sealed record ChannelSubscriptionResponse(
    Guid Id, Guid ChannelId, string Identifier, JsonObject Settings, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ChannelSubscriptionResponse From(ChannelSubscriptionRow row) =>
        new(row.Id, row.ChannelId, row.Identifier, JsonNode.Parse(row.Settings) as JsonObject ?? [], row.CreatedAt, row.UpdatedAt);
}

/// <summary>The user's subscriptions on a channel: a non-paginated list (at most 100 items).</summary>
public sealed record ChannelSubscriptionList(IReadOnlyList<ChannelSubscriptionResponse> Items);

public sealed record ChannelSettingsBody(JsonObject Settings);

public sealed record ChannelSubscriptionBody(string Identifier, JsonObject Settings);

public sealed record ChannelSubscriptionIdentifierBody(string Identifier);
