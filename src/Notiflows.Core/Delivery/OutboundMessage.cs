using System.Text.Json.Nodes;

namespace Notiflows.Core.Delivery;

/// <summary>
/// What one provider call sends (§12.9, §14): the delivery, the channel it goes through (type, provider and its
/// configuration with secrets decrypted), the rendered content (§11.4), and where to: the address (email, phone,
/// webhook URL) or, for multi-target sends, one target (a device token, or a web-push subscription id with its settings).
/// </summary>
public sealed record OutboundMessage(
    Guid DeliveryId,
    Guid ChannelId,
    string ChannelType,
    string Provider,
    JsonObject Config,
    JsonObject Data,
    string? Address,
    string? Target,
    JsonObject? TargetSettings,
    JsonObject Recipient,
    int AttemptNumber);

/// <summary>How a provider attempt ended (§5.15 Attempt.outcome).</summary>
public enum AttemptOutcome
{
    Success,
    /// <summary>Network error, timeout, HTTP 408/429/5xx, SMTP 4xx: retried with backoff.</summary>
    Retryable,
    /// <summary>HTTP 4xx other than 408/429, SMTP 5xx, unusable configuration: fails (or fails over) at once.</summary>
    Permanent,
}

/// <summary>
/// A provider's answer to one attempt: the outcome, the provider's HTTP status or SMTP reply code (null on a network
/// error or timeout), the error text, the provider's message id, a <c>Retry-After</c> the provider asked for, and whether
/// the target is gone for good (APNs 410/BadDeviceToken, FCM UNREGISTERED, web push 404/410: removed from the user).
/// </summary>
public sealed record ProviderReply(
    AttemptOutcome Outcome,
    int? StatusCode,
    string? Error,
    string? ProviderMessageId = null,
    TimeSpan? RetryAfter = null,
    bool TargetGone = false)
{
    public static ProviderReply Ok(int? status, string? messageId = null) => new(AttemptOutcome.Success, status, null, messageId);

    /// <summary>A failure no retry can fix, found before or without a provider status (unusable configuration or target).</summary>
    public static ProviderReply Permanent(string? error) => new(AttemptOutcome.Permanent, null, error);

    /// <summary>The §12.9 classification of an HTTP status: 2xx success, 408/429/5xx retryable, any other 4xx permanent.</summary>
    public static AttemptOutcome Classify(int status) => status switch
    {
        >= 200 and < 300 => AttemptOutcome.Success,
        408 or 429 or >= 500 => AttemptOutcome.Retryable,
        _ => AttemptOutcome.Permanent,
    };
}
