using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Notiflows.Core.Delivery;
using Notiflows.Server.Providers.Push;

namespace Notiflows.Server.Tests.Providers.Push;

/// <summary>
/// The push providers as the server registers them (<see cref="PushProviders.AddPushProviders"/>), with a fake clock, a
/// short call timeout, base URLs pointing at fakes and any <c>services</c> registered before the providers (e.g. an
/// <see cref="ApnsTlsOptions"/>); plus a builder for the messages the engine hands them.
/// </summary>
public sealed class PushTestHost(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null) : ProviderTestHost(
    s =>
    {
        services?.Invoke(s);
        return s.AddPushProviders();
    }, [new("Notiflows:Providers:TimeoutSeconds", "0.5"), .. settings ?? new Dictionary<string, string?>()],
    new FakeTimeProvider(PushTestHost.Start))
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    public static OutboundMessage Message(
        string channelType, string provider, JsonObject config, JsonObject data, string target, JsonObject? targetSettings = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), channelType, provider, config, data, null, target, targetSettings,
            new JsonObject { ["id"] = "user-1" }, 1);

    /// <summary>Rendered mobile_push data (§11.4): every field present, unset ones null, with <paramref name="set"/> applied.</summary>
    public static JsonObject MobilePushData(params (string Key, JsonNode? Value)[] set)
    {
        var data = new JsonObject
        {
            ["title"] = "Order shipped", ["body"] = "Your order #42 is on its way", ["subtitle"] = null, ["image_url"] = null,
            ["action_url"] = null, ["sound"] = null, ["badge_count"] = null, ["category"] = null, ["thread_id"] = null,
            ["collapse_id"] = null, ["interruption_level"] = null, ["priority"] = null, ["relevance_score"] = null, ["ttl"] = null,
            ["android_channel_id"] = null,
        };
        foreach (var (key, value) in set)
            data[key] = value;
        return data;
    }
}
