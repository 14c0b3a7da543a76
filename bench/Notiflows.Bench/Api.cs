using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Notiflows.Bench;

/// <summary>One HttpClient for the whole run, with the admin secret key as a default header.</summary>
internal sealed class Api : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient _http;

    public Api(Uri baseAddress, int maxConnections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = maxConnections,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
        };
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(300) };
        _http.DefaultRequestHeaders.Add("x-notiflows-secret-key", ServerHost.SecretKey);
    }

    /// <summary>
    /// A second client with its own small connection pool for observing requests (polling runs and notifications), so
    /// they never queue behind the load in the main pool and their timing reflects the server, not the harness.
    /// </summary>
    public Api Observer => LazyInitializer.EnsureInitialized(ref _observer, () => new Api(_http.BaseAddress!, 16));

    private Api? _observer;

    public static ByteArrayContent Body(byte[] utf8)
    {
        var c = new ByteArrayContent(utf8);
        c.Headers.ContentType = Json;
        return c;
    }

    public static ByteArrayContent Body(string json) => Body(Encoding.UTF8.GetBytes(json));

    /// <summary>Sends and returns only the status code (the body is read and dropped).</summary>
    public async Task<HttpStatusCode> PostStatusAsync(string path, ByteArrayContent body, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(HttpMethod.Post, path) { Content = body };
        using var res = await _http.SendAsync(req, HttpCompletionOption.ResponseContentRead, ct);
        return res.StatusCode;
    }

    /// <summary>GET, read the whole body; returns status and raw bytes (parse them after stopping a clock).</summary>
    public async Task<(HttpStatusCode Status, byte[] Body)> GetBytesAsync(string path, CancellationToken ct)
    {
        using var res = await _http.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseContentRead, ct);
        return (res.StatusCode, await res.Content.ReadAsByteArrayAsync(ct));
    }

    public async Task<(HttpStatusCode Status, JsonDocument? Json)> SendAsync(
        HttpMethod method, string path, ByteArrayContent? body, CancellationToken ct, bool management = false)
    {
        using var req = new HttpRequestMessage(method, path) { Content = body };
        if (management)
        {
            req.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ServerHost.AccountToken);
        }
        using var res = await _http.SendAsync(req, HttpCompletionOption.ResponseContentRead, ct);
        var bytes = await res.Content.ReadAsByteArrayAsync(ct);
        JsonDocument? doc = null;
        if (bytes.Length > 0)
        {
            try
            {
                doc = JsonDocument.Parse(bytes);
            }
            catch (JsonException)
            {
            }
        }
        return (res.StatusCode, doc);
    }

    /// <summary>Sends and fails unless the status is 2xx; returns the parsed body.</summary>
    public async Task<JsonDocument> ExpectAsync(
        HttpMethod method, string path, string? json, CancellationToken ct, bool management = false)
    {
        var (status, doc) = await SendAsync(method, path, json is null ? null : Body(json), ct, management);
        if ((int)status is < 200 or > 299)
        {
            var text = doc is null ? "" : doc.RootElement.GetRawText();
            doc?.Dispose();
            throw new InvalidOperationException($"{method} {path} answered {(int)status}: {text}");
        }
        return doc ?? JsonDocument.Parse("{}");
    }

    /// <summary>Starts a run; returns its id, or null with the status on anything but 202.</summary>
    public async Task<(HttpStatusCode Status, string? RunId)> RunAsync(string notiflow, byte[] body, CancellationToken ct)
    {
        var (status, doc) = await SendAsync(HttpMethod.Post, $"admin/v1/notiflows/{notiflow}/run", Body(body), ct);
        using (doc)
        {
            if (status == HttpStatusCode.Accepted && doc is not null
                && doc.RootElement.TryGetProperty("notiflow_run_id", out var id))
            {
                return (status, id.GetString());
            }
        }
        return (status, null);
    }

    /// <summary>
    /// Starts a run, timed from sending to the whole response read: the run id and the ticks, or a null id and the error
    /// (transport error message, or <c>HTTP nnn</c> for anything but 202).
    /// </summary>
    public async Task<(string? RunId, long Ticks, string Error)> TimedRunAsync(string notiflow, byte[] body, CancellationToken ct)
    {
        var t0 = Stopwatch.GetTimestamp();
        try
        {
            var (status, runId) = await RunAsync(notiflow, body, ct);
            return (runId, Stopwatch.GetTimestamp() - t0, $"HTTP {(int)status}");
        }
        catch (HttpRequestException e)
        {
            return (null, Stopwatch.GetTimestamp() - t0, e.Message);
        }
    }

    /// <summary><c>PUT /admin/v1/users/{prefix}{i}</c> for i = 0 … n − 1 with one body, <paramref name="parallelism"/> in flight; fails on a non-2xx.</summary>
    public Task PutUsersAsync(string prefix, int n, string json, int parallelism, CancellationToken ct)
    {
        var body = Encoding.UTF8.GetBytes(json);
        return Parallel.ForEachAsync(Enumerable.Range(0, n), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = ct },
            async (i, token) =>
            {
                var (status, doc) = await SendAsync(HttpMethod.Put, $"admin/v1/users/{prefix}{i}", Body(body), token);
                doc?.Dispose();
                if ((int)status is < 200 or > 299)
                {
                    throw new InvalidOperationException($"creating users: PUT answered {(int)status}");
                }
            });
    }

    public void Dispose()
    {
        _observer?.Dispose();
        _http.Dispose();
    }
}
