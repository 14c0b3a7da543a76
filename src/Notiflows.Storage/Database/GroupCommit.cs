using System.Threading.Channels;

namespace Notiflows.Storage.Database;

/// <summary>
/// Group commit: units of work submitted while a transaction is in flight are run together in the next one, each
/// under its own savepoint (a failing unit rolls back alone). Every caller is answered only after the transaction
/// holding its work has committed, so "2xx only after commit" holds while the commit cost is shared.
/// </summary>
public sealed class GroupCommit
{
    private const int MaxGroup = 128;
    private readonly Db _db;
    private readonly Channel<Unit> _queue = Channel.CreateUnbounded<Unit>();

    public GroupCommit(Db db)
    {
        _db = db;
        // SQLite has one writer, so one committer; PostgreSQL takes several transactions at once, so several committers
        // keep its round trips overlapping while each still groups what queued up behind it.
        for (var i = 0; i < (db.Kind == DbKind.Postgres ? 4 : 1); i++)
        {
            _ = Task.Run(LoopAsync);
        }
    }

    public async Task<T> RunAsync<T>(Func<DbSession, Task<T>> work, CancellationToken ct)
    {
        var unit = new Unit(async s => await work(s), ct);
        await _queue.Writer.WriteAsync(unit, ct);
        return (T)(await unit.Done.Task)!;
    }

    private async Task LoopAsync()
    {
        var group = new List<Unit>(MaxGroup);
        while (await _queue.Reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxGroup && _queue.Reader.TryRead(out var unit))
            {
                if (!unit.Cancel.IsCancellationRequested)
                {
                    group.Add(unit);
                }
            }
            if (group.Count == 0)
            {
                continue;
            }
            var results = new object?[group.Count];
            var errors = new Exception?[group.Count];
            try
            {
                await _db.WriteAsync(async s =>
                {
                    // WriteAsync may run this again after a deadlock: start from a clean slate each time.
                    Array.Clear(results);
                    Array.Clear(errors);
                    for (var i = 0; i < group.Count; i++)
                    {
                        await s.ExecuteAsync($"SAVEPOINT unit_{i}", null, CancellationToken.None);
                        try
                        {
                            results[i] = await group[i].Work(s);
                            await s.ExecuteAsync($"RELEASE SAVEPOINT unit_{i}", null, CancellationToken.None);
                        }
                        catch (Exception ex)
                        {
                            errors[i] = ex;
                            await s.ExecuteAsync($"ROLLBACK TO SAVEPOINT unit_{i}", null, CancellationToken.None);
                        }
                    }
                    return 0;
                }, CancellationToken.None);
            }
            catch (Exception ex)
            {
                // The commit itself failed: nothing of the group is stored.
                Array.Fill(errors, ex);
            }
            for (var i = 0; i < group.Count; i++)
            {
                if (errors[i] is { } error)
                {
                    group[i].Done.TrySetException(error);
                }
                else
                {
                    group[i].Done.TrySetResult(results[i]);
                }
            }
        }
    }

    private sealed record Unit(Func<DbSession, Task<object?>> Work, CancellationToken Cancel)
    {
        public TaskCompletionSource<object?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
