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
            attempts.Add(new JsonObject
            {
                ["number"] = 1, ["at"] = JsonDefaults.FormatTimestamp(now), ["channel_id"] = plan.Channel?.Id.ToString(),
                ["provider"] = plan.Channel?.Provider, ["target"] = null, ["outcome"] = attempt.Outcome, ["error"] = attempt.Error,
                ["provider_response_code"] = attempt.ProviderResponseCode,
            });
        }
        var accepted = plan.Status is "sent" or "delivered" or "bounced";
        return new DeliveryRow
        {
            Id = id, ProjectId = n.ProjectId, NotificationId = n.Id, NotiflowId = n.NotiflowId, RunId = n.RunId, StepHandle = stepHandle,
            ChannelId = plan.Channel?.Id, ChannelType = plan.ChannelType, Provider = plan.Channel?.Provider, RecipientId = n.RecipientId,
            ActorId = n.ActorId, Status = plan.Status, SkipReason = plan.SkipReason, Data = plan.Data.ToJsonString(),
            RecipientAddress = plan.Address,
            ProviderMessageId = accepted && plan.Channel?.Provider == "sandbox" ? $"sandbox_{id}" : null,
            Topic = run.Topic, Error = plan.Error, Attempts = attempts.ToJsonString(),
            SentAt = accepted ? now : null, DeliveredAt = plan.Status == "delivered" ? now : null,
            CreatedAt = now, UpdatedAt = now,
        };
    }
}
