using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Notiflows.Server.Tests.Browser;

/// <summary>
/// A customer's web app in miniature: serves the HTML pages a test adds, from an origin of its own (another loopback
/// port), so the inbox talks to the Notiflows server cross-origin as it does in production.
/// </summary>
public sealed class PageServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _pages;

    private PageServer(WebApplication app, ConcurrentDictionary<string, string> pages, string url)
    {
        _app = app;
        _pages = pages;
        Origin = url;
    }

    /// <summary>The pages' origin, e.g. <c>http://127.0.0.1:41235</c>.</summary>
    public string Origin { get; }

    public static async Task<PageServer> StartAsync(CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var pages = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        app.MapGet("/{**path}", (string? path) => pages.TryGetValue("/" + path, out var html)
            ? Results.Content(html, "text/html; charset=utf-8")
            : Results.NotFound());
        await app.StartAsync(ct);
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new PageServer(app, pages, url);
    }

    /// <summary>Serves <paramref name="html"/> at <paramref name="path"/>; returns the page's URL.</summary>
    public string Add(string path, string html)
    {
        _pages[path] = html;
        return Origin + path;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
