using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Notiflows.Core.Channels;
using Notiflows.Core.Delivery;
using Notiflows.Core.Engine;
using Notiflows.Server.Api.Admin.Users;
using Notiflows.Server.Api.Management.Channels;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Providers;
using Notiflows.Server.Startup;
using Notiflows.Storage.Channels;
using Notiflows.Storage.Database;
using Notiflows.Storage.Jobs;
using Notiflows.Storage.Runs;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Workers;

/// <summary>
/// Runs one <c>delivery</c> job (§12.9): one provider attempt of a delivery, to each of its unsettled targets.
/// <list type="number">
/// <item>In one transaction (holding the job's lease): load the delivery, its channel (secrets decrypted), recipient and
/// targets; a delivery whose user is gone fails <c>user_deleted</c> without a call; otherwise it becomes <c>processing</c>
/// and the lease is extended to cover the call.</item>
/// <item>Outside any transaction: call the provider (up to its 30 s timeout), targets in parallel.</item>
/// <item>In one transaction that checks the lease is still held: append the attempts and decide — <c>sent</c>, a retry
/// (the job is due again at <c>next_attempt_at</c>), a failover to the channel's <c>fallback_channel</c>, or <c>failed</c>.
/// Targets the provider reports gone are removed from the user.</item>
/// </list>
/// Crash safety: the call is at-least-once. A crash (or a lost lease) between the call and the recording transaction
/// leaves the job to be claimed again when its lease ends, and the provider is called again; providers that can carry a
/// stable id send the delivery id (the webhook provider's <c>webhook-id</c>) so receivers de-duplicate.
/// </summary>
public sealed class DeliverySender(
    Db db, TimeProvider time, ProviderDirectory providers, MasterKey key, RetryJitter jitter, JobSignal signal, IConfiguration config)
{
    private readonly int _maxAttempts = Math.Max(1, config.GetValue("Notiflows:Delivery:MaxAttempts", RetrySchedule.DefaultMaxAttempts));

    /// <summary>Runs one claimed delivery job: tx 1, the provider call, tx 2 (the test drain's path).</summary>
    public async Task RunAsync(JobRow job, string token, TimeSpan lease, CancellationToken ct)
    {
        if (await db.WriteAsync(s => StartOneAsync(s, job, token, lease, ct), ct) is { } send)
        {
            await FinishAsync(new StartedSend(job, token, send), lease, ct);
        }
    }

    /// <summary>
    /// Tx 1 of several just-claimed delivery jobs, inside the claim's own transaction (one commit for the batch). Returns
    /// the sends that need a provider call; the others ended in this transaction (sandbox, user deleted, no channel).
    /// </summary>
    internal async Task<List<StartedSend>> StartAsync(DbSession s, IReadOnlyList<JobRow> jobs, string token, TimeSpan lease, CancellationToken ct)
    {
        var started = new List<StartedSend>(jobs.Count);
        foreach (var job in jobs)
        {
            if (await StartOneAsync(s, job, token, lease, ct, claimed: true) is { } send)
            {
                started.Add(new StartedSend(job, token, send));
            }
        }
        return started;
    }

    /// <summary>The provider call of a started send, outside any transaction, then tx 2.</summary>
    internal async Task FinishAsync(StartedSend started, TimeSpan lease, CancellationToken ct)
    {
        if (started.Send is not { } send)
        {
            await RunAsync(started.Job, started.Token, lease, ct);
            return;
        }
        var replies = await CallAsync(send, ct);
        await db.WriteAsync(s => RecordAsync(s, started.Job, started.Token, send, replies, ct), ct);
    }

    private async Task<Send?> StartOneAsync(DbSession s, JobRow job, string token, TimeSpan lease, CancellationToken ct, bool claimed = false)
    {
        var started = await StartAsync(s, job, token, lease, claimed, ct);
        if (started is not { Channel.Provider: SandboxProvider.Name })
        {
            return started;
        }
        // The sandbox makes no network call: it is answered and recorded in the same transaction, so its delivery goes
        // from pending straight to its outcome (§13.5: "pending → sent: sandbox recorded"), never showing processing.
        await RecordAsync(s, job, token, started, await CallAsync(started, ct), ct);
        return null;
    }

    /// <summary>One attempt to every unsettled target of the send, in parallel (or its refusal, without a call).</summary>
    private Task<TargetReply[]> CallAsync(Send send, CancellationToken ct) => Task.WhenAll(send.Targets.Select(async target =>
    {
        var at = time.Now();
        var reply = send.Refusal ?? await providers.SendAsync(send.Channel.Provider, send.Message(target), ct);
        return new TargetReply(target, reply, at);
    }));

    // claimed: called in the claim's own transaction, whose lease was just set and needs no extending.
    private async Task<Send?> StartAsync(DbSession s, JobRow job, string token, TimeSpan lease, bool claimed, CancellationToken ct)
    {
        var now = time.Now();
        if (!claimed && !await JobStore.HoldAsync(s, job.Id, token, now + lease, ct))
        {
            throw new LeaseLostException(job.Id);
        }
        var d = await DeliveryStore.GetForUpdateAsync(s, job.TargetId, ct);
        if (d is null || d.Status is not ("pending" or "processing"))
        {
            await JobStore.CompleteAsync(s, job.Id, token, ct);
            return null;
        }
        var user = (await UserStore.GetByIdsAsync(s, [d.RecipientId], ct)).FirstOrDefault();
        var channel = d.ChannelId is { } channelId ? await ChannelStore.GetByIdAsync(s, d.ProjectId, channelId, ct) : null;
        if (user is null || channel is null)
        {
            await FailAsync(s, d, user is null ? "user_deleted" : "no channel configured", now, ct);
            await JobStore.CompleteAsync(s, job.Id, token, ct);
            return null;
        }
        var attempts = Attempts(d);
        var targets = await TargetsAsync(s, d, ct);
        var settled = attempts.Where(a => OnChannel(a, channel.Id) && (string?)a!["outcome"] is "success" or "permanent_error")
            .Select(a => (string?)a!["target"]).ToHashSet();
        var pending = targets.Where(t => !settled.Contains(t.Id)).ToList();
        ProviderReply? refusal = null;
        JsonObject merged = [];
        if (pending.Count == 0)
        {
            refusal = new ProviderReply(AttemptOutcome.Permanent, null, "the recipient has no device tokens or subscriptions on this channel");
            pending = [new Target(null, null)];
        }
        try
        {
            merged = ChannelViews.Merged(channel, key);
        }
        catch (CryptographicException)
        {
            refusal = new ProviderReply(AttemptOutcome.Permanent, null, "the channel's secrets cannot be decrypted");
        }
        d.Status = "processing";
        d.NextAttemptAt = null;
        d.UpdatedAt = now;
        await DeliveryStore.UpdateSendingAsync(s, d, ct);
        return new Send(d, channel, merged, UserResponse.Json(user), JsonNode.Parse(d.Data) as JsonObject ?? [], pending, refusal, Number(attempts));
    }

    private async Task<int> RecordAsync(
        DbSession s, JobRow job, string token, Send send, IReadOnlyList<TargetReply> replies, CancellationToken ct)
    {
        var now = time.Now();
        if (!await JobStore.OwnsAsync(s, job.Id, token, ct))
        {
            throw new LeaseLostException(job.Id);
        }
        var d = await DeliveryStore.GetForUpdateAsync(s, job.TargetId, ct);
        if (d is null || d.Status != "processing" || d.ChannelId != send.Channel.Id)
        {
            // Failed meanwhile (its user was deleted): the attempt is not recorded on a delivery that is over.
            await JobStore.CompleteAsync(s, job.Id, token, ct);
            return 0;
        }
        var attempts = Attempts(d);
        foreach (var r in replies)
        {
            attempts.Add(DeliveryWriter.Attempt(send.Number, r.At, send.Channel.Id, send.Channel.Provider, r.Target.Id,
                new AttemptPlan(OutcomeName(r.Reply.Outcome), r.Reply.Error, r.Reply.StatusCode)));
            if (r.Reply.TargetGone && r.Target.Id is { } gone)
            {
                await RemoveTargetAsync(s, d, gone, now, ct);
            }
        }
        d.Attempts = attempts.ToJsonString();
        d.UpdatedAt = now;
        var onChannel = attempts.Where(a => OnChannel(a, send.Channel.Id)).ToList();
        var retryable = replies.Where(r => r.Reply.Outcome == AttemptOutcome.Retryable && !r.Reply.TargetGone).ToList();
        var rounds = onChannel.Select(a => (int?)a!["number"]).Distinct().Count();
        if (retryable.Count > 0 && rounds < _maxAttempts)
        {
            var retryAfter = retryable.Max(r => r.Reply.RetryAfter);
            d.NextAttemptAt = now + RetrySchedule.Delay(rounds, jitter.Next(), retryAfter);
            await DeliveryStore.UpdateSendingAsync(s, d, ct);
            await JobStore.RequeueAsync(s, job.Id, token, d.NextAttemptAt.Value, ct);
            return 0;
        }
        d.NextAttemptAt = null;
        var first = replies.FirstOrDefault(r => r.Reply.Outcome == AttemptOutcome.Success);
        if (first is not null || onChannel.Exists(a => (string?)a!["outcome"] == "success"))
        {
            Sent(d, send, first?.Reply.ProviderMessageId, now);
        }
        else if (!attempts.Any(a => !OnChannel(a, send.Channel.Id)) && send.Channel.FallbackChannel is { } handle
            && await ChannelStore.GetByHandleAsync(s, d.ProjectId, handle, ct) is { } fallback && fallback.Type == d.ChannelType)
        {
            // Failover (§12.9): the same delivery, through the fallback channel, with its full retry schedule (no chains).
            d.ChannelId = fallback.Id;
            d.Provider = fallback.Provider;
            d.NextAttemptAt = now;
            await DeliveryStore.UpdateSendingAsync(s, d, ct);
            await JobStore.RequeueAsync(s, job.Id, token, now, ct);
            s.AfterCommit(signal.NotifyDeliveries); // due now: the delivery loop takes it at once
            return 0;
        }
        else
        {
            d.Status = "failed";
            d.Error = replies.Select(r => r.Reply.Error).FirstOrDefault(e => e is not null) ?? "failed";
        }
        await DeliveryStore.UpdateSendingAsync(s, d, ct);
        await JobStore.CompleteAsync(s, job.Id, token, ct);
        return 0;
    }

    private static void Sent(DeliveryRow d, Send send, string? messageId, DateTimeOffset now)
    {
        d.Status = "sent";
        d.Error = null;
        d.SentAt ??= now;
        d.ProviderMessageId ??= messageId;
        if (send.Channel.Provider == SandboxProvider.Name && SandboxProvider.SimulatedStatus(send.Config) is { } simulated)
        {
            d.Status = simulated.Status;
            d.Error = simulated.Error;
            d.DeliveredAt = simulated.Status == "delivered" ? now : null;
        }
    }

    private static async Task FailAsync(DbSession s, DeliveryRow d, string error, DateTimeOffset now, CancellationToken ct)
    {
        d.Status = "failed";
        d.Error = error;
        d.NextAttemptAt = null;
        d.UpdatedAt = now;
        await DeliveryStore.UpdateSendingAsync(s, d, ct);
    }

    /// <summary>
    /// Where a delivery goes: each device token of the user's channel settings (mobile push), each channel subscription
    /// (web push), or one send to the address (chat carries the user's channel settings along).
    /// </summary>
    private static async Task<List<Target>> TargetsAsync(DbSession s, DeliveryRow d, CancellationToken ct)
    {
        var channelId = d.ChannelId!.Value;
        switch (d.ChannelType)
        {
            case ChannelTypes.MobilePush:
                var settings = await ChannelSettingsStore.GetAsync(s, d.RecipientId, channelId, ct);
                return (JsonNode.Parse(settings?.Settings ?? "{}")?["device_tokens"] as JsonArray ?? [])
                    .Select(t => (string?)t).OfType<string>().Select(t => new Target(t, null)).ToList();
            case ChannelTypes.WebPush:
                return (await ChannelSettingsStore.ListSubscriptionsAsync(s, d.RecipientId, channelId, ct))
                    .OrderBy(x => x.Id).Select(x => new Target(x.Id.ToString(), JsonNode.Parse(x.Settings) as JsonObject)).ToList();
            case ChannelTypes.Chat:
                var chat = await ChannelSettingsStore.GetAsync(s, d.RecipientId, channelId, ct);
                return [new Target(null, chat is null ? null : JsonNode.Parse(chat.Settings) as JsonObject)];
            default:
                return [new Target(null, null)];
        }
    }

    /// <summary>A target the provider reports gone for good: its device token or web-push subscription is removed (§12.9).</summary>
    private static async Task RemoveTargetAsync(DbSession s, DeliveryRow d, string target, DateTimeOffset now, CancellationToken ct)
    {
        var channelId = d.ChannelId!.Value;
        if (d.ChannelType == ChannelTypes.WebPush && Guid.TryParse(target, out var subscriptionId))
        {
            await s.ExecuteAsync("DELETE FROM channel_subscriptions WHERE id = @subscriptionId AND user_id = @userId",
                new { subscriptionId, userId = d.RecipientId }, ct);
            return;
        }
        if (d.ChannelType != ChannelTypes.MobilePush || await ChannelSettingsStore.GetAsync(s, d.RecipientId, channelId, ct) is not { } row
            || JsonNode.Parse(row.Settings) is not JsonObject settings || settings["device_tokens"] is not JsonArray tokens)
        {
            return;
        }
        var kept = tokens.Select(t => (string?)t).Where(t => t != target).ToList();
        if (kept.Count == 0)
        {
            await ChannelSettingsStore.DeleteAsync(s, d.RecipientId, channelId, ct);
            return;
        }
        settings["device_tokens"] = new JsonArray([.. kept.Select(t => JsonValue.Create(t))]);
        await ChannelSettingsStore.UpsertAsync(s, d.ProjectId, d.RecipientId, channelId, settings.ToJsonString(), now, ct);
    }

    private static JsonArray Attempts(DeliveryRow d) => JsonNode.Parse(d.Attempts) as JsonArray ?? [];

    /// <summary>The number of the next attempt: one more than the last (all targets of one attempt share its number).</summary>
    private static int Number(JsonArray attempts) => attempts.Select(a => (int?)a?["number"] ?? 0).DefaultIfEmpty(0).Max() + 1;

    private static bool OnChannel(JsonNode? attempt, Guid channelId) => (string?)attempt?["channel_id"] == channelId.ToString();

    private static string OutcomeName(AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.Success => "success",
        AttemptOutcome.Retryable => "retryable_error",
        _ => "permanent_error",
    };

    /// <summary>One target of a send: a device token or subscription id (null: the address), with the subscription's settings.</summary>
    internal sealed record Target(string? Id, JsonObject? Settings);

    private sealed record TargetReply(Target Target, ProviderReply Reply, DateTimeOffset At);

    /// <summary>
    /// A claimed delivery job: with <see cref="Send"/>, its tx 1 committed and the provider call is next; without, it has
    /// yet to be started (<see cref="RunAsync"/> does all of it).
    /// </summary>
    internal sealed record StartedSend(JobRow Job, string Token, Send? Send);

    /// <summary>What the call outside the transaction needs; <see cref="Refusal"/> set: answer it without calling the provider.</summary>
    internal sealed record Send(
        DeliveryRow Delivery, ChannelRow Channel, JsonObject Config, JsonObject Recipient, JsonObject Data, List<Target> Targets,
        ProviderReply? Refusal, int Number)
    {
        public OutboundMessage Message(Target target) => new(
            Delivery.Id, Channel.Id, Channel.Type, Channel.Provider, (JsonObject)Config.DeepClone(), (JsonObject)Data.DeepClone(),
            Delivery.RecipientAddress, target.Id, target.Settings, (JsonObject)Recipient.DeepClone(), Number);
    }
}
