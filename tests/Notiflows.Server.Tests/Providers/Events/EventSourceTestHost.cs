using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Notiflows.Server.Providers.Events;

namespace Notiflows.Server.Tests.Providers.Events;

/// <summary>
/// The signed event sources as the server registers them (<see cref="SignedEventSources.AddSignedEventSources"/>), with a
/// fake clock and the <c>sns</c> client's primary handler replaced by <see cref="Sns"/>, which serves the URLs a test
/// puts in it and records every request.
/// </summary>
public sealed class EventSourceTestHost : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _services;

    public EventSourceTestHost()
    {
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(Time)
            .AddLogging()
            .AddSignedEventSources();
        services.AddHttpClient(SnsClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Sns);
        _services = services.BuildServiceProvider();
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public FakeHttpHandler Sns { get; } = new();

    public IProviderEventSource Source(string provider) =>
        _services.GetServices<IProviderEventSource>().Single(s => s.Provider == provider);

    public static InboundRequest Request(byte[] body, JsonObject config, params (string Name, string Value)[] headers) =>
        new(new Uri("https://notiflows.example/providers/v1/0193a000-0000-7000-8000-000000000001/events"),
            headers.ToDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase), body, config);

    public void Dispose() => _services.Dispose();
}

/// <summary>An in-process HTTP server stand-in: answers the URLs it was given (others 404) and records every request.</summary>
public sealed class FakeHttpHandler : HttpMessageHandler
{
    private readonly Dictionary<string, (HttpStatusCode Status, string Body)> _answers = new(StringComparer.Ordinal);

    /// <summary>Every request, in order.</summary>
    public List<(HttpMethod Method, Uri Url)> Calls { get; } = [];

    /// <summary>The URL of every request, in order.</summary>
    public List<Uri> Requests
    {
        get
        {
            lock (Calls)
            {
                return [.. Calls.Select(c => c.Url)];
            }
        }
    }

    public void Serve(string url, string body, HttpStatusCode status = HttpStatusCode.OK) => _answers[url] = (status, body);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Calls)
        {
            Calls.Add((request.Method, request.RequestUri!));
        }
        var (status, body) = _answers.TryGetValue(request.RequestUri!.AbsoluteUri, out var answer) ? answer : (HttpStatusCode.NotFound, "");
        return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(body) });
    }
}
