namespace Notiflows.Core.Definitions;

/// <summary>What publish validation needs to know about one channel of the project.</summary>
/// <param name="Handle">The channel handle.</param>
/// <param name="Type">The channel type (<c>email</c>, <c>webhook</c>, …).</param>
/// <param name="HasDefaultUrl">For webhook channels: the channel config has a <c>url</c>.</param>
public sealed record ChannelInfo(string Handle, string Type, bool HasDefaultUrl)
{
    /// <summary>
    /// The project's default channel for its type. Used to decide which channel's <c>url</c> a webhook step without
    /// <c>channel_handle</c> falls back to; when no channel of the type is flagged, any channel of the type with a url counts.
    /// </summary>
    public bool IsDefault { get; init; }
}
