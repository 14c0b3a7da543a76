using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Notiflows.Server.Tests.Providers.Email;

/// <summary>One request the fake received.</summary>
public sealed record FakeRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body, IFormCollection? Form)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);

    public string Header(string name) => Headers.TryGetValue(name, out var v) ? v : throw new Xunit.Sdk.XunitException($"no {name} header");
}

/// <summary>What the fake answers next: a status with body and headers, after a delay, or a dropped connection.</summary>
public sealed record FakeAnswer(int Status, string Body = "", IReadOnlyDictionary<string, string>? Headers = null, TimeSpan Delay = default, bool Drop = false);

/// <summary>
/// An in-process fake of an email provider's HTTP API on a loopback Kestrel port: records each request and answers what
/// the test scripted (in order; the default answer when the script is empty).
/// </summary>
public sealed class EmailFakeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeAnswer> _script = new();
    private readonly ConcurrentQueue<FakeRequest> _requests = new();

    private EmailFakeServer(FakeAnswer fallback)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(async context =>
        {
            var request = context.Request;
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, context.RequestAborted);
            IFormCollection? form = null;
            if (request.HasFormContentType)
            {
                request.Body = new MemoryStream(buffer.ToArray());
                form = await request.ReadFormAsync(context.RequestAborted);
            }
            var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            _requests.Enqueue(new FakeRequest(request.Method, request.Path + request.QueryString, headers, buffer.ToArray(), form));
            var answer = _script.TryDequeue(out var next) ? next : fallback;
            if (answer.Drop)
            {
                context.Abort();
                return;
            }
            if (answer.Delay > TimeSpan.Zero)
            {
                await Task.Delay(answer.Delay, context.RequestAborted);
            }
            context.Response.StatusCode = answer.Status;
            foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }
            if (answer.Body.Length > 0)
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(answer.Body, context.RequestAborted);
            }
        });
    }

    public string Url { get; private set; } = "";

    public IReadOnlyList<FakeRequest> Requests => [.. _requests];

    public static async Task<EmailFakeServer> StartAsync(FakeAnswer fallback)
    {
        var server = new EmailFakeServer(fallback);
        await server._app.StartAsync(TestContext.Current.CancellationToken);
        server.Url = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return server;
    }

    /// <summary>Scripts the next answer(s).</summary>
    public void Then(FakeAnswer answer) => _script.Enqueue(answer);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
