using System.Diagnostics;

namespace Notiflows.Bench;

/// <summary>
/// What a scenario sent and what arrived for it, indexed by run sequence number. Realtime: run n goes to user
/// <c>n mod clients</c> and its in-app entry renders n as its body, so every <c>delivery.created</c> names its run.
/// Delivery: one "client", the fake provider, and the event is a run's first provider request.
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

    public bool WasAccepted(long n) => Volatile.Read(ref _acceptedAt[n]) != 0;

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
