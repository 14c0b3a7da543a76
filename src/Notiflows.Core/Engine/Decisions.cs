using System.Text.Json.Nodes;
using Notiflows.Core.Definitions;

namespace Notiflows.Core.Engine;

/// <summary>What executing one step decided. <c>Next</c> null means the notification is done (processed).</summary>
public abstract record StepDecision(Step Step, string? Next);

/// <summary>The step ran (trigger, a condition choosing <paramref name="Branch"/>, an end) or was skipped by its gate.</summary>
public sealed record Continue(Step Step, string? Next, string Outcome, string? Reason = null, string? Branch = null) : StepDecision(Step, Next);

/// <summary>A channel step: one delivery in its final state for this step (skipped, failed, sent …).</summary>
public sealed record Deliver(Step Step, string? Next, DeliveryPlan Delivery, string Outcome, string? Reason) : StepDecision(Step, Next);

/// <summary>A wait: suspend until <paramref name="Until"/>, then continue with <c>Next</c>.</summary>
public sealed record Suspend(Step Step, string? Next, DateTimeOffset Until) : StepDecision(Step, Next);

/// <summary>A digest step reached: open or join the window of <paramref name="Key"/> (the shell owns the keyed state).</summary>
public sealed record OpenOrJoinDigest(Step Step, string? Next, string Key, TimeSpan Window) : StepDecision(Step, Next);

/// <summary>A throttle step reached: pass or drop for <paramref name="Key"/> (the shell owns the keyed state).</summary>
public sealed record PassThrottle(Step Step, string? Next, string Key, TimeSpan Window) : StepDecision(Step, Next);

/// <summary>
/// The delivery a channel step produces (§12.3). Status is <c>skipped</c>, <c>failed</c> (no channel, render error),
/// <c>sent</c> (in-app), or <c>pending</c> for every provider that sends asynchronously through a delivery job (§12.9).
/// </summary>
public sealed record DeliveryPlan(
    string ChannelType, ChannelTarget? Channel, string Status, string? SkipReason, JsonObject Data, string? Address, string? Error,
    AttemptPlan? Attempt);

/// <summary>One provider attempt recorded with the delivery.</summary>
public sealed record AttemptPlan(string Outcome, string? Error, int? ProviderResponseCode);

/// <summary>A channel a delivery goes through.</summary>
public sealed record ChannelTarget(Guid Id, string Handle, string Type, string Provider, JsonObject Config);
