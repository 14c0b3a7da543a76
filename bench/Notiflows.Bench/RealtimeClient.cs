using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Notiflows.Bench;

/// <summary>
/// What the realtime scenario sent and what its clients received, indexed by run sequence number: run n goes to user
/// <c>n mod clients</c> and its in-app entry renders n as its body, so every <c>delivery.created</c> names its run.
/// </summary>
internal sealed class RunTracker(int clients, long capacity)
{
    private readonly long[] _sentAt = new long[capacity];
    private readonly long[] _acceptedAt = new long[capacity];
    private readonly long[] _receivedAt = new long[capacity];
    private readonly int[] _receipts = new int[capacity];
    private long _received;
    private long _duplicates;
    private long _misrouted;
    private long _unexpected;

    public int Clients => clients;
    public long Capacity => capacity;
    public long Received => Interlocked.Read(ref _received);
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long Misrouted => Interlocked.Read(ref _misrouted);

    /// <summary>Events naming a run that was never sent or never accepted.</summary>
    public long Unexpected => Interlocked.Read(ref _unexpected);

    public void Sending(long n) => _sentAt[n] = Stopwatch.GetTimestamp();

    /// <summary>Run <paramref name="n"/> was answered 202 (now).</summary>
    public void Accepted(long n) => Volatile.Write(ref _acceptedAt[n], Stopwatch.GetTimestamp());

    /// <summary>A <c>delivery.created</c> for run <paramref name="n"/> reached the client of user <paramref name="client"/> at <paramref name="at"/>.</summary>
    public void Event(int client, long n, long at)
    {
        if (n < 0 || n >= capacity || Volatile.Read(ref _sentAt[n]) == 0)
        {
            Interlocked.Increment(ref _unexpected);
            return;
        }
        if (n % clients != client)
        {
            Interlocked.Increment(ref _misrouted);
        }
        if (Interlocked.Increment(ref _receipts[n]) > 1)
        {
            Interlocked.Increment(ref _duplicates);
            return;
        }
        _receivedAt[n] = at;
        Interlocked.Increment(ref _received);
    }

    /// <summary>
    /// For every accepted run whose event came: request sent → event received, and 202 read → event received (negative when
    /// the event came first); the accepted runs whose event never came.
    /// </summary>
    public (Latencies FromSend, Latencies FromAccept, long Missing) Summarise(long sent)
    {
        var (fromSend, fromAccept) = (new Latencies(), new Latencies());
        long missing = 0;
        for (long n = 0; n < sent; n++)
        {
            if (_acceptedAt[n] == 0)
            {
                continue;
            }
            if (_receipts[n] > 0)
            {
                fromSend.Add(_receivedAt[n] - _sentAt[n]);
                fromAccept.Add(_receivedAt[n] - _acceptedAt[n]);
            }
            else
            {
                missing++;
            }
        }
        return (fromSend, fromAccept, missing);
    }
}

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

/// <summary>User keys (§3.3): RS256 JWTs signed with the project's signing key, made with System.Security.Cryptography alone.</summary>
internal static class UserKeys
{
    public static string Mint(RSA key, string externalId, DateTimeOffset now, TimeSpan lifetime)
    {
        static string B64(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);
        var header = B64("""{"alg":"RS256","typ":"JWT"}"""u8);
        var payload = B64(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["sub"] = externalId, ["iat"] = now.ToUnixTimeSeconds(), ["exp"] = (now + lifetime).ToUnixTimeSeconds(),
        }));
        var input = $"{header}.{payload}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{input}.{B64(signature)}";
    }
}
