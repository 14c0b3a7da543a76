using Notiflows.Core.Common;

namespace Notiflows.Core.Channels;

/// <summary>
/// The outcome of <see cref="ChannelConfigMerger.Merge"/>: <paramref name="Config"/> is null exactly when
/// <paramref name="Errors"/> is non-empty. <paramref name="RevealOnce"/> names the secret fields the server generated
/// in this request (webhook <c>signing_secret</c>), to be shown unmasked in this one response.
/// </summary>
public sealed record ConfigMergeResult(ChannelConfig? Config, IReadOnlyList<FieldError> Errors, IReadOnlyList<string> RevealOnce)
{
    public bool IsValid => Errors.Count == 0;
}
