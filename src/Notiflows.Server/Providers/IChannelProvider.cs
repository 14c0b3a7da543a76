using Notiflows.Core.Delivery;

namespace Notiflows.Server.Providers;

/// <summary>
/// One provider (§14.2) behind the interface the delivery engine calls: it does not know which provider it talks to.
/// An implementation sends one message (one target of a multi-target send) and classifies the answer; it never throws for
/// a provider's failure (a network error or timeout is a <see cref="AttemptOutcome.Retryable"/> reply with no status) and
/// must not log secrets. HTTP providers take their base URL from <c>Notiflows:Providers:{provider}:BaseUrl</c> when set
/// (tests point them at in-process fakes), else the provider's documented endpoint; calls time out after 30 s.
/// </summary>
public interface IChannelProvider
{
    /// <summary>The provider name of §14.2 (<c>smtp</c>, <c>sendgrid</c>, <c>apns</c>, …).</summary>
    string Provider { get; }

    Task<ProviderReply> SendAsync(OutboundMessage message, CancellationToken ct);
}
