using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;

namespace Notiflows.Server.Tests.Providers;

/// <summary>One request the fake received, as it came off the wire.</summary>
public sealed record FakeRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;

    public JsonObject Json => JsonNode.Parse(Body)!.AsObject();

    public Dictionary<string, string> Form => QueryHelpers.ParseQuery(Body).ToDictionary(p => p.Key, p => p.Value.ToString());
}

/// <summary>What the fake answers: a status, body and headers; or it holds the request until the caller gives up; or drops it.</summary>
public sealed record FakeAnswer(int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null)
{
    public bool Hang { get; init; }

    public bool Drop { get; init; }

    public static FakeAnswer Json(int status, string json, params (string Name, string Value)[] headers) =>
        new(status, json, headers.ToDictionary(h => h.Name, h => h.Value));

    public static readonly FakeAnswer Hanging = new(0) { Hang = true };

    public static readonly FakeAnswer Dropped = new(0) { Drop = true };
}

/// <summary>
/// An in-process stand-in for the sms, chat and webhook providers' HTTP APIs (Twilio, Slack, Discord, Teams, any webhook
/// receiver): Kestrel on a loopback port; records every request and answers from a script (default: 200 with no body).
/// </summary>
public sealed class ChatFakeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeAnswer> _script = new();
    private readonly Channel<FakeRequest> _arrivals = Channel.CreateUnbounded<FakeRequest>();
    private readonly ConcurrentQueue<FakeRequest> _requests = new();

    private ChatFakeServer(WebApplication app)
    {
        _app = app;
        app.Run(HandleAsync);
    }

    public string Url => _app.Urls.First();

    public IReadOnlyList<FakeRequest> Requests => [.. _requests];

    public static async Task<ChatFakeServer> StartAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var server = new ChatFakeServer(builder.Build());
        await server._app.StartAsync(ct);
        return server;
    }

    /// <summary>Queues the answers to the next requests, in order.</summary>
    public void Answer(params FakeAnswer[] answers)
    {
        foreach (var answer in answers)
        {
            _script.Enqueue(answer);
        }
    }

    /// <summary>Waits until the next request arrives (for a test that must act while a request is in flight).</summary>
    public async Task<FakeRequest> NextRequestAsync(CancellationToken ct) =>
        await _arrivals.Reader.ReadAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), ct);

    private async Task HandleAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body);
        var body = await reader.ReadToEndAsync(ctx.RequestAborted);
        var request = new FakeRequest(ctx.Request.Method, ctx.Request.Path.Value ?? "", ctx.Request.QueryString.Value ?? "",
            ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body);
        _requests.Enqueue(request);
        _arrivals.Writer.TryWrite(request);
        var answer = _script.TryDequeue(out var a) ? a : new FakeAnswer(200);
        if (answer.Drop)
        {
            ctx.Abort();
            return;
        }

        if (answer.Hang)
        {
            await Task.Delay(Timeout.Infinite, ctx.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        ctx.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            ctx.Response.Headers[name] = value;
        }

        if (answer.Body.Length > 0)
        {
            ctx.Response.ContentType ??= answer.Body.StartsWith('{') ? "application/json" : "text/plain";
            await ctx.Response.WriteAsync(answer.Body, ctx.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
