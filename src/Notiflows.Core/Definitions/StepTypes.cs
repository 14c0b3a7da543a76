namespace Notiflows.Core.Definitions;

/// <summary>The step types of §9.2.</summary>
public static class StepTypes
{
    public const string Trigger = "trigger";
    public const string Channel = "channel";
    public const string Wait = "wait";
    public const string Digest = "digest";
    public const string Throttle = "throttle";
    public const string Condition = "condition";
    public const string End = "end";

    public static readonly IReadOnlySet<string> All =
        new HashSet<string>(StringComparer.Ordinal) { Trigger, Channel, Wait, Digest, Throttle, Condition, End };

    public static bool IsTiming(string type) => type is Wait or Digest or Throttle;
}
