using System.Text;
using System.Text.Json.Nodes;

namespace Notiflows.Server.Tests.Realtime;

/// <summary>One Server-Sent Event as a client parses it (comments such as <c>: ping</c> come through with Name "comment").</summary>
public sealed record SseEvent(string Name, string? Id, string Data)
{
    public JsonObject Json => JsonNode.Parse(Data)!.AsObject();
}

/// <summary>
/// Reads an event stream the way EventSource does (fields until a blank line). Every read is bounded by a deadline so a
/// missing event fails the test instead of hanging it; nothing waits for time to pass.
/// </summary>
public sealed class SseClient(HttpResponseMessage response, Stream body) : IAsyncDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly StreamReader _reader = new(body, Encoding.UTF8);

    public HttpResponseMessage Response => response;

    public static async Task<SseClient> OpenAsync(HttpClient client, string path, IReadOnlyDictionary<string, string>? headers, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        return new SseClient(response, await response.Content.ReadAsStreamAsync(ct));
    }

    /// <summary>The next event or comment; null when the stream ended.</summary>
    public async Task<SseEvent?> NextAsync(CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(Deadline);
        string? name = null, id = null;
        var data = new StringBuilder();
        while (await _reader.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (name is null && data.Length == 0 && id is null)
                {
                    continue;
                }
                return new SseEvent(name ?? "message", id, data.ToString());
            }
            if (line.StartsWith(':'))
            {
                return new SseEvent("comment", null, line[1..].Trim());
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (field, value) = colon < 0 ? (line, "") : (line[..colon], line[(colon + 1)..].TrimStart(' '));
            switch (field)
            {
                case "event":
                    name = value;
                    break;
                case "id":
                    id = value;
                    break;
                case "data":
                    data.Append(data.Length > 0 ? "\n" : "").Append(value);
                    break;
                case "retry":
                    return new SseEvent("retry", null, value);
            }
        }
        return null;
    }

    /// <summary>Reads until an event named <paramref name="name"/> arrives (skipping others); fails on end of stream.</summary>
    public async Task<SseEvent> NextAsync(string name, CancellationToken ct)
    {
        while (await NextAsync(ct) is { } e)
        {
            if (e.Name == name)
            {
                return e;
            }
        }
        throw new Xunit.Sdk.XunitException($"The stream ended before a '{name}' event.");
    }

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        response.Dispose();
        await Task.CompletedTask;
    }
}
