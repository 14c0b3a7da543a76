using Notiflows.Core.Conditions;

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

/// <summary>Facts for a recipient who has set nothing: everything allowed, no channel settings.</summary>
public sealed class NoRecipientFacts : IRecipientFacts
{
    public static readonly NoRecipientFacts Instance = new();

    public bool Allows(NotiflowInfo notiflow, string channelType) => true;

    public bool HasChannelSettings(ChannelTarget channel) => false;
}

/// <summary>Everything one step decision reads.</summary>
public sealed record StepInput(
    StepGraph Graph, string Handle, EvaluationContext Values, NotiflowInfo Notiflow, Guid NotificationId, DateTimeOffset Now,
    IChannelDirectory Channels, IRecipientFacts Facts);
