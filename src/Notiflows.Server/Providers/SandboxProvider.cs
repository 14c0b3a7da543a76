using System.Text.Json.Nodes;
using Notiflows.Core.Delivery;

namespace Notiflows.Server.Providers;

/// <summary>
/// The sandbox provider (§14.2): sends nothing, answers with the outcome its channel is configured with, and goes through
/// the same delivery lifecycle as a real provider. <c>sent</c>, <c>delivered</c> and <c>bounced</c> are accepted (the
/// latter two then simulate the inbound event at once, <see cref="SimulatedStatus"/>); <c>fail_permanent</c> is a
/// permanent error; <c>fail_temporary</c> is retryable every time, so its retries and final failure are visible.
/// </summary>
public sealed class SandboxProvider : IChannelProvider
{
    public const string Name = "sandbox";

    public string Provider => Name;

    public Task<ProviderReply> SendAsync(OutboundMessage message, CancellationToken ct) => Task.FromResult(Outcome(message.Config) switch
    {
        "fail_permanent" => new ProviderReply(AttemptOutcome.Permanent, null, "permanent failure (sandbox simulation)"),
        "fail_temporary" => new ProviderReply(AttemptOutcome.Retryable, null, "temporary failure (sandbox simulation)"),
        _ => ProviderReply.Ok(null, $"sandbox_{message.DeliveryId}"),
    });

    /// <summary>The status an accepted sandbox delivery moves on to at once (§14.2 simulation), with its error; null: stays sent.</summary>
    public static (string Status, string? Error)? SimulatedStatus(JsonObject config) => Outcome(config) switch
    {
        "delivered" => ("delivered", null),
        "bounced" => ("bounced", "bounced (sandbox simulation)"),
        _ => null,
    };

    private static string Outcome(JsonObject config) => (string?)config["outcome"] ?? "sent";
}
