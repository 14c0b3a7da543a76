using Notiflows.Core.Channels;
using Notiflows.Core.Conditions;
using Notiflows.Core.Users;

namespace Notiflows.Core.Engine;

/// <summary>The notiflow as templates and preferences see it.</summary>
public sealed record NotiflowInfo(Guid Id, string Handle, string Name, bool IncludeInPreferences);

/// <summary>The project's channels, as the engine resolves them (§12.3 step 3).</summary>
public interface IChannelDirectory
{
    /// <summary><paramref name="handle"/> when set, else the default channel of <paramref name="type"/>; null when none.</summary>
    ChannelTarget? Resolve(string type, string? handle);
}

/// <summary>What the engine needs to know about the recipient beyond its attributes (preferences §12.4, channel settings §14.3).</summary>
public interface IRecipientFacts
{
    bool Allows(NotiflowInfo notiflow, string channelType);

    bool HasChannelSettings(ChannelTarget channel);
}

/// <summary>
/// A recipient's preferences (§12.4) and what it has on each channel (§14.3): the channels with settings — for mobile
/// push, only settings holding at least one device token — and the web-push channels with at least one subscription.
/// </summary>
public sealed class RecipientFacts(PreferenceSet preferences, IReadOnlySet<Guid> channelsWithSettings, IReadOnlySet<Guid> channelsWithSubscriptions)
    : IRecipientFacts
{
    /// <summary>A recipient who has set nothing: everything allowed, no channel settings.</summary>
    public static readonly RecipientFacts None = new(PreferenceSet.Empty, new HashSet<Guid>(), new HashSet<Guid>());

    public bool Allows(NotiflowInfo notiflow, string channelType) => preferences.Allows(notiflow.Id, notiflow.IncludeInPreferences, channelType);

    public bool HasChannelSettings(ChannelTarget channel) =>
        channel.Type == ChannelTypes.WebPush ? channelsWithSubscriptions.Contains(channel.Id) : channelsWithSettings.Contains(channel.Id);
}

/// <summary>Everything one step decision reads.</summary>
public sealed record StepInput(
    StepGraph Graph, string Handle, EvaluationContext Values, NotiflowInfo Notiflow, Guid NotificationId, DateTimeOffset Now,
    IChannelDirectory Channels, IRecipientFacts Facts);
