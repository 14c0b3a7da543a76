namespace Notiflows.Server.Api.Admin.Lists;

/// <summary>The filters of <c>GET /runs</c> (§6.6), resolved to ids; null means "not filtered".</summary>
public sealed record RunFilter(
    Guid ProjectId, Guid? NotiflowId = null, string? Status = null, string? Topic = null, string? CancellationKey = null,
    DateTimeOffset? CreatedAfter = null, DateTimeOffset? CreatedBefore = null);

/// <summary>The filters of the notification lists (§6.7, and those nested under a user or a run), resolved to ids.</summary>
public sealed record NotificationFilter(
    Guid ProjectId, string? Status = null, string? Topic = null, Guid? NotiflowId = null, Guid? RunId = null, Guid? RecipientId = null,
    DateTimeOffset? CreatedAfter = null, DateTimeOffset? CreatedBefore = null);

/// <summary>The filters of the delivery lists (§6.8, and those nested under a user or a notification), resolved to ids.</summary>
public sealed record DeliveryFilter(
    Guid ProjectId, Guid? ChannelId = null, string? Status = null, string? Topic = null, string? ChannelType = null, Guid? NotiflowId = null,
    Guid? RunId = null, Guid? RecipientId = null, Guid? NotificationId = null, DateTimeOffset? CreatedAfter = null,
    DateTimeOffset? CreatedBefore = null);
