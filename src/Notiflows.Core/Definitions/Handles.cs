using System.Text.RegularExpressions;

namespace Notiflows.Core.Definitions;

/// <summary>Handle formats of §4.3.</summary>
internal static partial class Handles
{
    public static bool IsStepHandle(string value) => value.Length is >= 1 and <= 64 && StepPattern().IsMatch(value);

    public static bool IsBranchHandle(string value) => value.Length is >= 1 and <= 64 && BranchPattern().IsMatch(value);

    public static bool IsChannelHandle(string value) =>
        value.Length is >= 1 and <= 100 && ChannelPattern().IsMatch(value) && !Guid.TryParse(value, out _);

    [GeneratedRegex("^[a-z_][a-z0-9_]*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex StepPattern();

    [GeneratedRegex("^[a-z0-9_-]+\\z", RegexOptions.CultureInvariant)]
    private static partial Regex BranchPattern();

    [GeneratedRegex("^[a-z0-9]+([_-][a-z0-9]+)*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex ChannelPattern();
}
