using System.Text.Json.Nodes;
using Notiflows.Core.Engine;
using Notiflows.Server.Infrastructure;
using Notiflows.Storage.Runs;

namespace Notiflows.Server.Workers;

/// <summary>Builds the delivery row a channel step decided (§12.3); it is written keyed by (notification, step).</summary>
public static class DeliveryWriter
{
    /// <summary>The delivery row a channel step's decision produces.</summary>
    public static DeliveryRow Build(Guid id, NotificationRow n, RunRow run, string stepHandle, DeliveryPlan plan, DateTimeOffset now)
    {
        var attempts = new JsonArray();
        if (plan.Attempt is { } attempt)
        {
            attempts.Add(Attempt(1, now, plan.Channel?.Id, plan.Channel?.Provider, null, attempt));
        }
        return new DeliveryRow
        {
            Id = id, ProjectId = n.ProjectId, NotificationId = n.Id, NotiflowId = n.NotiflowId, RunId = n.RunId, StepHandle = stepHandle,
            ChannelId = plan.Channel?.Id, ChannelType = plan.ChannelType, Provider = plan.Channel?.Provider, RecipientId = n.RecipientId,
            ActorId = n.ActorId, Status = plan.Status, SkipReason = plan.SkipReason, Data = plan.Data.ToJsonString(),
            RecipientAddress = plan.Address,
            Topic = run.Topic, Error = plan.Error, Attempts = attempts.ToJsonString(),
            SentAt = plan.Status == "sent" ? now : null,
            CreatedAt = now, UpdatedAt = now,
        };
    }

    /// <summary>One entry of a delivery's <c>attempts</c> (§5.15 Attempt).</summary>
    public static JsonObject Attempt(int number, DateTimeOffset at, Guid? channelId, string? provider, string? target, AttemptPlan attempt) => new()
    {
        ["number"] = number, ["at"] = JsonDefaults.FormatTimestamp(at), ["channel_id"] = channelId?.ToString(), ["provider"] = provider,
        ["target"] = target, ["outcome"] = attempt.Outcome, ["error"] = attempt.Error, ["provider_response_code"] = attempt.ProviderResponseCode,
    };
}
