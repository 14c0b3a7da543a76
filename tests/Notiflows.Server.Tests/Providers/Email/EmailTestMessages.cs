using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Notiflows.Core.Delivery;
using Notiflows.Server.Providers;
using Notiflows.Server.Providers.Email;

namespace Notiflows.Server.Tests.Providers.Email;

/// <summary>Outbound email messages and providers wired to test settings.</summary>
public static class EmailTestMessages
{
    public const string Html =
        "<html><head><style>p { color: red }</style></head><body><h1>Order&nbsp;#1</h1>"
        + "<p>Hello <b>Jane</b> &amp; co,\n   your order shipped.</p><p><a href=\"https://shop.example.com/o/1?a=1&amp;b=2\">View order</a></p></body></html>";

    public const string HtmlAsText = "Order #1\n\nHello Jane & co, your order shipped.\n\nView order (https://shop.example.com/o/1?a=1&b=2)";

    public static readonly DateTimeOffset Now = new(2026, 1, 15, 10, 30, 0, TimeSpan.Zero);

    public static OutboundMessage Message(
        string provider, JsonObject config, string contentType = "html", string? address = "jane@example.com", string? body = null) =>
        new(
            Guid.Parse("0b7c6f5e-1d2a-4c3b-9e8f-7a6b5c4d3e2f"),
            Guid.Parse("11111111-2222-3333-4444-555555555555"),
            "email",
            provider,
            new JsonObject { ["from_email"] = "notify@acme.example", ["from_name"] = "Acme Shop", ["reply_to"] = "help@acme.example" }
                .Merge(config),
            new JsonObject
            {
                ["subject"] = "Your order #1 shipped",
                ["body"] = body ?? (contentType == "plaintext" ? "Hello Jane,\nyour order shipped." : Html),
                ["content_type"] = contentType,
            },
            address,
            null,
            null,
            new JsonObject { ["email"] = address, ["first_name"] = "Jane", ["last_name"] = "Doe" },
            1);

    /// <summary>
    /// The registered providers with these settings (base URL overrides, timeout) and a fake clock (<paramref name="time"/>,
    /// else one at <see cref="Now"/>).
    /// </summary>
    public static IChannelProvider Provider(string name, IReadOnlyDictionary<string, string?> settings, FakeTimeProvider? time = null) =>
        new ProviderTestHost(s => s.AddEmailProviders(), settings, time ?? new FakeTimeProvider(Now)).Provider(name);

    private static JsonObject Merge(this JsonObject target, JsonObject source)
    {
        foreach (var (key, value) in source)
        {
            target[key] = value?.DeepClone();
        }
        return target;
    }
}
