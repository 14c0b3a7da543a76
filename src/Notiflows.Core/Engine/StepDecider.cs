using System.Text.Json.Nodes;
using Notiflows.Core.Channels;
using Notiflows.Core.Conditions;
using Notiflows.Core.Definitions;
using Notiflows.Core.Templates;

namespace Notiflows.Core.Engine;

/// <summary>
/// The functional core of execution (§12): decides what one step does from the definition, the context and the time.
/// It reads and writes nothing; the worker carries the decision out in the transaction of the step's effects.
/// </summary>
public static class StepDecider
{
    public static StepDecision Decide(StepInput input)
    {
        var step = input.Graph[input.Handle];
        var next = input.Graph.NextAfter(step.Handle);
        if (step.Type is not (StepTypes.Trigger or StepTypes.End) && !ConditionEvaluator.Matches(step.Conditions, input.Values))
        {
            return step.Type == StepTypes.Channel
                ? new Deliver(step, next, Skipped(step, input.Channels.Resolve(step.ChannelType!, step.ChannelHandle), "gate_conditions"),
                    "skipped", "gate_conditions")
                : new Continue(step, next, "skipped", "gate_conditions");
        }
        return step.Type switch
        {
            StepTypes.Trigger => new Continue(step, next, "executed"),
            StepTypes.End => new Continue(step, null, "executed"),
            StepTypes.Wait => new Suspend(step, next, input.Now + Timing.Duration(step.Settings)),
            StepTypes.Digest => new OpenOrJoinDigest(step, next, Key(step.Settings["digest_key"], input.Values), Timing.Duration(step.Settings)),
            StepTypes.Throttle => new PassThrottle(step, next, Key(step.Settings["throttle_key"], input.Values), Timing.Duration(step.Settings)),
            StepTypes.Condition => Branch(step, input),
            _ => Channel(step, next, input),
        };
    }

    /// <summary>The first non-default branch whose conditions match, else the default branch, else none (§9.4).</summary>
    private static Continue Branch(Step step, StepInput input)
    {
        var branches = StepGraph.Branches(step);
        var chosen = branches.FirstOrDefault(b => !b.IsDefault && ConditionEvaluator.Matches(b.Conditions, input.Values))
            ?? branches.FirstOrDefault(b => b.IsDefault);
        return chosen is null
            ? new Continue(step, input.Graph.NextAfter(step.Handle), "executed")
            : new Continue(step, input.Graph.EnterBranch(step.Handle, chosen.Handle), "executed", Branch: chosen.Handle);
    }

    private static Deliver Channel(Step step, string? next, StepInput input)
    {
        var type = step.ChannelType!;
        var channel = input.Channels.Resolve(type, step.ChannelHandle);
        if (step.Template is null)
        {
            return new Deliver(step, next, Skipped(step, channel, "no_template"), "skipped", "no_template");
        }
        if (channel is null)
        {
            return new Deliver(step, next, new DeliveryPlan(type, null, "failed", null, [], null, "no channel configured", null), "executed", null);
        }
        if (!input.Facts.Allows(input.Notiflow, type))
        {
            return new Deliver(step, next, Skipped(step, channel, "opted_out"), "skipped", "opted_out");
        }
        var recipient = input.Values.Recipient;
        string? address = type switch
        {
            ChannelTypes.Email => (string?)recipient?["email"],
            ChannelTypes.Sms => (string?)recipient?["phone"],
            _ => null,
        };
        if (type is ChannelTypes.Email or ChannelTypes.Sms && string.IsNullOrEmpty(address))
        {
            return new Deliver(step, next, Skipped(step, channel, "no_address"), "skipped", "no_address");
        }
        if (type is ChannelTypes.MobilePush or ChannelTypes.Chat or ChannelTypes.WebPush && !input.Facts.HasChannelSettings(channel))
        {
            return new Deliver(step, next, Skipped(step, channel, "no_channel_settings"), "skipped", "no_channel_settings");
        }
        var rendered = TemplateRenderer.Render(step.Template, new RenderContext(
            input.Values, new JsonObject { ["handle"] = input.Notiflow.Handle, ["name"] = input.Notiflow.Name },
            new JsonObject { ["handle"] = channel.Handle, ["type"] = channel.Type }, input.NotificationId, input.Now));
        if (rendered.Error is not null)
        {
            return new Deliver(step, next, new DeliveryPlan(type, channel, "failed", null, [], address, rendered.Error, null), "executed", null);
        }
        if (type == ChannelTypes.Webhook)
        {
            address = (string?)rendered.Data!["url"] is { Length: > 0 } url ? url : (string?)channel.Config["url"];
        }
        return new Deliver(step, next, Send(type, channel, rendered.Data!, address), "executed", null);
    }

    /// <summary>
    /// In-app deliveries are stored in the feed at once; every other provider (the sandbox included) gets a <c>pending</c>
    /// delivery that a delivery job sends asynchronously, with retries and failover (§12.9).
    /// </summary>
    private static DeliveryPlan Send(string type, ChannelTarget channel, JsonObject data, string? address) =>
        channel.Provider == "in_app"
            ? new DeliveryPlan(type, channel, "sent", null, data, null, null, new AttemptPlan("success", null, null))
            : new DeliveryPlan(type, channel, "pending", null, data, address, null, null);

    private static DeliveryPlan Skipped(Step step, ChannelTarget? channel, string reason) =>
        new(step.ChannelType!, channel, "skipped", reason, [], null, null, null);

    /// <summary>
    /// A digest or throttle key: the resolved property's string view (§10.3), or the shared null-key window (§12.5, §12.6).
    /// The string view makes <c>1</c> and <c>"1"</c> one key, as they are equal to conditions; a Knock user keys by an id
    /// that may arrive as a number from one producer and as a string from another.
    /// </summary>
    private static string Key(JsonNode? path, EvaluationContext values)
    {
        if (path is not JsonValue v || !v.TryGetValue<string>(out var p) || p.Length == 0)
        {
            return "";
        }
        return JsonViews.StringView(values.Resolve(p)) is { } view ? "v:" + view : "";
    }
}
