using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Notiflows.Bench;

/// <summary>
/// An in-process stand-in for SendGrid's v3 mail send on loopback (Kestrel, HTTP/1.1, plain http), for the
/// <c>delivery</c> scenario: <c>POST /v3/mail/send</c> → 202 with <c>X-Message-Id</c>. Every request is matched to its
/// run by the number at the end of the rendered subject (<c>nf-bench &lt;seq&gt;</c>); the first request of run n is
/// reported to <see cref="Tracker"/> as its arrival. A fraction of the runs (<c>--fail-rate</c>, decided by a hash of
/// n, so the same runs every time) get 503 on their first request, which the server retries. Negative numbers (the
/// warm-up's runs) are answered 202 and not recorded.
/// </summary>
internal sealed class FakeSendGrid : IAsyncDisposable
{
    public const string ApiKey = "SG.bench-key";
    public const string SubjectPrefix = "nf-bench ";

    private readonly WebApplication _app;
    private readonly double _failRate;
    private readonly int[] _requests;
    private readonly int[] _accepted;
    private readonly long[] _arrivals;
    private long _arrivalCount;
    private long _answered503;
    private long _duplicates;
    private long _rejected;

    private FakeSendGrid(WebApplication app, long capacity, double failRate)
    {
        _app = app;
        _failRate = failRate;
        Tracker = new RunTracker(1, capacity);
        _requests = new int[capacity];
        _accepted = new int[capacity];
        _arrivals = new long[capacity * 2];
    }

    /// <summary>The load's runs: the scenario records sends and 202s in it, the fake each run's first request.</summary>
    public RunTracker Tracker { get; }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Requests of recorded runs (retries included).</summary>
    public long Requests => Interlocked.Read(ref _arrivalCount);

    /// <summary>First requests answered 503 on purpose.</summary>
    public long Answered503 => Interlocked.Read(ref _answered503);

    /// <summary>Requests answered 202 for a run that had one already.</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Requests with a wrong API key, another path or no run number in the subject (answered 4xx).</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    public static async Task<FakeSendGrid> StartAsync(long capacity, double failRate, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1));
        var app = builder.Build();
        var fake = new FakeSendGrid(app, capacity, failRate);
        app.MapPost("/v3/mail/send", fake.HandleAsync);
        app.MapFallback(context =>
        {
            Interlocked.Increment(ref fake._rejected);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
        await app.StartAsync(ct);
        fake.BaseAddress = new Uri(app.Urls.First());
        return fake;
    }

    /// <summary>Whether run <paramref name="seq"/>'s first request is answered 503: a fixed hash of n below the fail rate.</summary>
    public bool FailsFirst(long seq)
    {
        // splitmix64's finaliser: well-spread bits from consecutive numbers.
        var z = unchecked((ulong)seq + 0x9E3779B97F4A7C15UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53)) < _failRate;
    }

    /// <summary>
    /// Of the runs n &lt; <paramref name="sent"/> the server accepted: those that got more than one request (the 503'd,
    /// retried), those of them the fake answered 202 in the end, and those it never answered 202 (missing).
    /// </summary>
    public (long Retried, long RetriedAccepted, long Missing) Count(long sent)
    {
        long retried = 0, retriedAccepted = 0, missing = 0;
        for (long n = 0; n < Math.Min(sent, Tracker.Capacity); n++)
        {
            if (!Tracker.WasAccepted(n))
            {
                continue;
            }
            var accepted = Volatile.Read(ref _accepted[n]) > 0;
            if (Volatile.Read(ref _requests[n]) > 1)
            {
                retried++;
                retriedAccepted += accepted ? 1 : 0;
            }
            missing += accepted ? 0 : 1;
        }
        return (retried, retriedAccepted, missing);
    }

    /// <summary>Requests of recorded runs that arrived between the two timestamps.</summary>
    public long ArrivalsBetween(long from, long to)
    {
        var count = Math.Min(Interlocked.Read(ref _arrivalCount), _arrivals.LongLength);
        long n = 0;
        for (long i = 0; i < count; i++)
        {
            var at = Volatile.Read(ref _arrivals[i]);
            n += at >= from && at <= to ? 1 : 0;
        }
        return n;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var at = Stopwatch.GetTimestamp();
        var response = context.Response;
        if (!string.Equals(context.Request.Headers.Authorization, "Bearer " + ApiKey, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _rejected);
            response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        long seq;
        try
        {
            using var doc = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var subject = doc.RootElement.Str("subject");
            if (subject is null || !subject.StartsWith(SubjectPrefix, StringComparison.Ordinal)
                || !long.TryParse(subject.AsSpan(SubjectPrefix.Length), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out seq))
            {
                seq = long.MinValue;
            }
        }
        catch (JsonException)
        {
            seq = long.MinValue;
        }
        if (seq == long.MinValue || seq >= Tracker.Capacity)
        {
            Interlocked.Increment(ref _rejected);
            response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        if (seq >= 0)
        {
            var i = Interlocked.Increment(ref _arrivalCount) - 1;
            if (i < _arrivals.LongLength)
            {
                Volatile.Write(ref _arrivals[i], at);
            }
            if (Interlocked.Increment(ref _requests[seq]) == 1)
            {
                Tracker.Event(0, seq, at);
                if (FailsFirst(seq))
                {
                    Interlocked.Increment(ref _answered503);
                    response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    return;
                }
            }
            if (Interlocked.Increment(ref _accepted[seq]) > 1)
            {
                Interlocked.Increment(ref _duplicates);
            }
        }
        response.StatusCode = StatusCodes.Status202Accepted;
        response.Headers["X-Message-Id"] = string.Create(CultureInfo.InvariantCulture, $"bench-{seq}-{at}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
