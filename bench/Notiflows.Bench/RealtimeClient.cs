using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Notiflows.Bench;

/// <summary>
/// One WebSocket client of §15.3 for one user: connects with query credentials, subscribes to the in-app channel, then
/// records every <c>delivery.created</c> in the tracker and answers the server's pings (a client that sends nothing is
/// closed after 90 s).
/// </summary>
internal sealed class RealtimeClient(int index, RunTracker tracker) : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private byte[] _buffer = new byte[4096];
    private Task _loop = Task.CompletedTask;
    private volatile bool _closing;

    /// <summary>Why the server ended the connection while it was still wanted (null while it is open).</summary>
    public string? EndedEarly { get; private set; }

    /// <summary>Connects, waits for <c>connected</c>, subscribes and waits for <c>subscribed</c>; then starts receiving.</summary>
    public async Task ConnectAsync(Uri uri, string channelId, CancellationToken ct)
    {
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
        await _socket.ConnectAsync(uri, ct);
        await ExpectAsync("connected", ct);
        await SendAsync($$"""{"type":"subscribe","id":"s","channel_id":"{{channelId}}"}""", ct);
        await ExpectAsync("subscribed", ct);
        _loop = ReceiveLoopAsync(ct);
    }

    private async Task ExpectAsync(string type, CancellationToken ct)
    {
        var length = await ReadAsync(ct) ?? throw new InvalidOperationException($"closed before '{type}': {_socket.CloseStatus} {_socket.CloseStatusDescription}");
        using var doc = JsonDocument.Parse(_buffer.AsMemory(0, length));
        var got = doc.RootElement.Str("type");
        if (!string.Equals(got, type, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"expected '{type}', got {doc.RootElement.GetRawText()}");
        }
    }

    private Task SendAsync(string json, CancellationToken ct) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, endOfMessage: true, ct);

    /// <summary>One whole message into the buffer (grown as needed); its length, or null when the server closed.</summary>
    private async Task<int?> ReadAsync(CancellationToken ct)
    {
        var length = 0;
        while (true)
        {
            if (length == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
            var r = await _socket.ReceiveAsync(_buffer.AsMemory(length), ct);
            if (r.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }
            length += r.Count;
            if (r.EndOfMessage)
            {
                return length;
            }
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        try
        {
            while (await ReadAsync(ct) is { } length)
            {
                var at = Stopwatch.GetTimestamp();
                using var doc = JsonDocument.Parse(_buffer.AsMemory(0, length));
                var root = doc.RootElement;
                switch (root.Str("type"))
                {
                    case "event" when string.Equals(root.Str("event"), "delivery.created", StringComparison.Ordinal):
                        var body = root.GetProperty("data").GetProperty("entry").GetProperty("data").Str("body");
                        tracker.Event(index, long.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1, at);
                        break;
                    case "ping":
                        await SendAsync($$"""{"type":"pong","id":{{root.GetProperty("id").GetRawText()}}}""", ct);
                        break;
                }
            }
            if (!_closing)
            {
                EndedEarly = $"closed by the server: {_socket.CloseStatus} {_socket.CloseStatusDescription}";
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or JsonException or KeyNotFoundException)
        {
            if (!_closing)
            {
                EndedEarly = e.Message;
            }
        }
    }

    /// <summary>Sends a normal close, waits at most 5 s for the server's (the receive loop reads it), then aborts.</summary>
    public async ValueTask DisposeAsync()
    {
        _closing = true;
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
                await _loop.WaitAsync(cts.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or TimeoutException)
        {
        }
        _socket.Abort();
        await _loop;
        _socket.Dispose();
    }
}
