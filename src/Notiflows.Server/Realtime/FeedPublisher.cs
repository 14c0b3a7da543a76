using System.Text.Json;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Realtime;

/// <summary>
/// Announces feed changes made in a write transaction, so that they reach connected clients once — and only if — the
/// transaction commits. On PostgreSQL through <c>pg_notify</c> (delivered at commit to every node's LISTEN, this one
/// included), on SQLite (one node) straight to this node's hub after the commit.
/// </summary>
public sealed class FeedPublisher(FeedHub hub)
{
    public const string Channel = "notiflows_feed";
    // pg_notify payloads must stay under 8,000 bytes: a uuid is 36 characters plus quoting.
    private const int IdsPerPayload = 150;

    public async Task PublishAsync(DbSession s, IReadOnlyList<FeedSignal> signals, CancellationToken ct)
    {
        if (signals.Count == 0)
        {
            return;
        }
        if (s.Kind == DbKind.Sqlite)
        {
            s.AfterCommit(() => hub.Dispatch(signals));
            return;
        }
        var payloads = signals.SelectMany(Chunks).Select(p => JsonSerializer.Serialize(p)).ToArray();
        await s.ExecuteAsync("SELECT pg_notify(@channel, p) FROM unnest(@payloads) AS p", new { channel = Channel, payloads }, ct);
    }

    private static IEnumerable<FeedSignal> Chunks(FeedSignal signal) =>
        signal.EntryIds.Count <= IdsPerPayload ? [signal] : signal.EntryIds.Chunk(IdsPerPayload).Select(c => signal with { EntryIds = c });

    public static FeedSignal? Parse(string payload)
    {
        try
        {
            return JsonSerializer.Deserialize<FeedSignal>(payload);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
