using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Management.Channels;

/// <summary>Helpers for the channel tests: every test works in a project of its own.</summary>
public abstract class ChannelApiTests<TFixture>(TFixture fixture) : ApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    protected const string SendGridKey = "SG.live-key-0123456789-abcd";

    protected static string SendGrid(string name = "SendGrid", string apiKey = SendGridKey) => $$$"""
        {"name": "{{{name}}}", "type": "email", "provider": "sendgrid", "config": {"api_key": "{{{apiKey}}}", "from_email": "hello@example.com"}}
        """;

    protected Task<ApiResponse> PutChannel(TestProject p, string handle, string body) => Mgmt(HttpMethod.Put, $"{p.Base}/channels/{handle}", body);

    protected async Task<JsonObject> GetChannel(TestProject p, string handleOrId) =>
        (await Mgmt(HttpMethod.Get, $"{p.Base}/channels/{handleOrId}")).AssertStatus(200).Body;

    protected async Task<List<JsonObject>> AllChannels(TestProject p, string? type = null) =>
        [.. (await Mgmt(HttpMethod.Get, $"{p.Base}/channels?limit=100{(type is null ? "" : "&type=" + type)}")).AssertStatus(200)
            .Body["items"]!.AsArray().Select(i => i!.AsObject())];

    protected async Task<List<string>> DefaultsOf(TestProject p, string type) =>
        [.. (await AllChannels(p, type)).Where(c => (bool)c["default"]!).Select(c => (string)c["handle"]!)];
}
