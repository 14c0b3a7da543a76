using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Notiflows.Server.Tests.Providers.Push;

/// <summary>
/// An in-process fake of a push provider's HTTP API on a loopback port: it records every request and answers what the
/// test scripted (queued replies, else 200). With <c>http2Only</c> it speaks HTTP/2 over cleartext with prior knowledge
/// (h2c), which is how the APNs tests reach it: Kestrel serves HTTP/2 without TLS only on an Http2-only endpoint.
/// </summary>
public sealed class PushFakeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeReply> _replies = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private PushFakeServer(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public RecordedRequest Single => Assert.Single(_requests);

    public static async Task<PushFakeServer> StartAsync(bool http2Only = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0,
            l => l.Protocols = http2Only ? HttpProtocols.Http2 : HttpProtocols.Http1));
        var server = new PushFakeServer(builder.Build());
        server._app.Run(server.HandleAsync);
        await server._app.StartAsync(TestContext.Current.CancellationToken);
        var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal);
        return server;
    }

    /// <summary>Queues the answers to the next requests, in order; once they are used up the server answers 200.</summary>
    public PushFakeServer Reply(params FakeReply[] replies)
    {
        foreach (var reply in replies)
            _replies.Enqueue(reply);
        return this;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        _requests.Enqueue(new RecordedRequest(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.Protocol,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            buffer.ToArray()));

        var reply = _replies.TryDequeue(out var next) ? next : new FakeReply(200);
        if (reply.Drop)
        {
            context.Abort();
            return;
        }
        if (reply.Hang)
        {
            // Never answers: the provider's own (short, configured) timeout ends the call.
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }
        context.Response.StatusCode = reply.Status;
        foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
            context.Response.Headers[name] = value;
        if (reply.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(reply.Body, context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}

/// <summary>One request the fake received.</summary>
public sealed record RecordedRequest(string Method, string Path, string Protocol, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public JsonNode Json => JsonNode.Parse(Text)!;

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>A scripted answer: a status with optional body and headers, or no answer at all (hang), or a dropped connection.</summary>
public sealed record FakeReply(int Status, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null)
{
    public bool Hang { get; init; }

    public bool Drop { get; init; }

    public static FakeReply Hanging => new(0) { Hang = true };

    public static FakeReply Dropped => new(0) { Drop = true };

    public static FakeReply RetryAfter(int status, int seconds) =>
        new(status, null, new Dictionary<string, string> { ["Retry-After"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) });
}
