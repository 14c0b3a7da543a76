using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Notiflows.Core.Delivery;

namespace Notiflows.Server.Tests.Providers;

/// <summary>
/// One request the fake received, as it came off the wire; <paramref name="ClientCertificate"/> is the thumbprint of the TLS
/// client certificate the caller presented, if any.
/// </summary>
public sealed record FakeRequest(
    string Method, string Path, string Query, string Protocol, IReadOnlyDictionary<string, string> Headers, byte[] Body,
    IReadOnlyDictionary<string, string> Form, string? ClientCertificate = null)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public JsonObject Json => JsonNode.Parse(Text)!.AsObject();

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// What the fake answers: a status with an optional body and headers; or it holds the request until the caller gives up
/// (<see cref="Hang"/>); or it drops the connection (<see cref="Drop"/>).
/// </summary>
public sealed record FakeAnswer(int Status, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null, bool Drop = false, bool Hang = false)
{
    public static FakeAnswer Hanging => new(0, Hang: true);

    public static FakeAnswer Dropped => new(0, Drop: true);

    public static FakeAnswer Json(int status, string json, params (string Name, string Value)[] headers) =>
        new(status, json, headers.ToDictionary(h => h.Name, h => h.Value));

    public static FakeAnswer RetryAfter(int status, int seconds) =>
        new(status, null, new Dictionary<string, string> { ["Retry-After"] = seconds.ToString(CultureInfo.InvariantCulture) });
}

/// <summary>
/// An in-process stand-in for a provider's HTTP API (email, push, sms, chat, any webhook receiver): Kestrel on a loopback
/// port; it records every request and answers from a script (queued answers in order, then the fallback: 200 with no
/// body unless told otherwise). With <c>http2Only</c> it speaks HTTP/2 over cleartext with prior knowledge (h2c), which is
/// how the APNs tests reach it: Kestrel serves HTTP/2 without TLS only on an Http2-only endpoint.
/// </summary>
public sealed class FakeProviderServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeAnswer _fallback;
    private readonly Func<FakeRequest, FakeAnswer>? _respond;
    private readonly ConcurrentQueue<FakeAnswer> _script = new();
    private readonly ConcurrentQueue<FakeRequest> _requests = new();
    private readonly Channel<FakeRequest> _arrivals = Channel.CreateUnbounded<FakeRequest>();
    private readonly Channel<FakeRequest> _held = Channel.CreateUnbounded<FakeRequest>();

    private FakeProviderServer(WebApplication app, FakeAnswer fallback, Func<FakeRequest, FakeAnswer>? respond)
    {
        _app = app;
        _fallback = fallback;
        _respond = respond;
        app.Run(HandleAsync);
    }

    /// <summary>The base URL (<c>http://127.0.0.1:{port}</c> or <c>https://…</c>, no trailing slash).</summary>
    public string Url { get; private set; } = "";

    public IReadOnlyList<FakeRequest> Requests => [.. _requests];

    public FakeRequest Single => Assert.Single(_requests);

    /// <summary>
    /// Starts the fake; with <paramref name="certificate"/> it speaks TLS (<c>https://127.0.0.1:{port}</c>) with HTTP/1.1
    /// and HTTP/2 negotiated by ALPN, for receivers whose URLs must be https (web push endpoints, chat webhooks). With
    /// <paramref name="respond"/>, a request no scripted answer is queued for is answered by it (e.g. one fake standing in
    /// for several providers, answering each by its path) instead of <paramref name="fallback"/>. With
    /// <paramref name="requireClientCertificate"/> (TLS only) the handshake fails unless the caller presents a client
    /// certificate (any: the fake does not validate it; <see cref="FakeRequest.ClientCertificate"/> records which).
    /// </summary>
    public static async Task<FakeProviderServer> StartAsync(
        bool http2Only = false, FakeAnswer? fallback = null, X509Certificate2? certificate = null, Func<FakeRequest, FakeAnswer>? respond = null,
        bool requireClientCertificate = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
        {
            if (certificate is null)
            {
                l.Protocols = http2Only ? HttpProtocols.Http2 : HttpProtocols.Http1;
                return;
            }
            l.Protocols = HttpProtocols.Http1AndHttp2;
            l.UseHttps(https =>
            {
                https.ServerCertificate = certificate;
                if (requireClientCertificate)
                {
                    https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
                    https.AllowAnyClientCertificate();
                }
            });
        }));
        var server = new FakeProviderServer(builder.Build(), fallback ?? new FakeAnswer(200), respond);
        await server._app.StartAsync(TestContext.Current.CancellationToken);
        server.Url = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
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

    /// <summary>
    /// Runs <paramref name="send"/> while the fake holds its request (the next request with no scripted answer before it
    /// gets <see cref="FakeAnswer.Hanging"/>), moves <paramref name="time"/> to just before <paramref name="timeout"/> (the call
    /// must still be waiting), then past it, and returns the reply: the provider's timeout runs on the injected clock.
    /// </summary>
    public async Task<ProviderReply> SendTimingOutAsync(Func<Task<ProviderReply>> send, FakeTimeProvider time, TimeSpan timeout)
    {
        var ct = TestContext.Current.CancellationToken;
        Answer(FakeAnswer.Hanging);
        var sending = send();
        await _held.Reader.ReadAsync(ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), ct);
        time.Advance(timeout - TimeSpan.FromMilliseconds(1));
        Assert.False(sending.IsCompleted, "the call ended before its timeout");
        time.Advance(TimeSpan.FromMilliseconds(1));
        return await sending.WaitAsync(TimeSpan.FromSeconds(10), ct);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted);
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            request.Body = new MemoryStream(buffer.ToArray());
            foreach (var (name, value) in await request.ReadFormAsync(context.RequestAborted))
            {
                form[name] = value.ToString();
            }
        }

        var received = new FakeRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", request.Protocol,
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), buffer.ToArray(), form,
            context.Connection.ClientCertificate?.Thumbprint);
        _requests.Enqueue(received);
        _arrivals.Writer.TryWrite(received);
        var answer = _script.TryDequeue(out var next) ? next : _respond?.Invoke(received) ?? _fallback;
        if (answer.Drop)
        {
            context.Abort();
            return;
        }

        if (answer.Hang)
        {
            // Never answers: the request stays open until the caller gives up (its own timeout on the injected clock).
            _held.Writer.TryWrite(received);
            var abandoned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (context.RequestAborted.Register(() => abandoned.TrySetResult()))
            {
                await abandoned.Task;
            }
            return;
        }

        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (answer.Body is { Length: > 0 } body)
        {
            context.Response.ContentType = body.StartsWith('{') || body.StartsWith('[') ? "application/json" : "text/plain";
            await context.Response.WriteAsync(body, context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
