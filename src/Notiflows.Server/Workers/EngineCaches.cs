using System.Collections.Concurrent;
using Notiflows.Core.Engine;
using Notiflows.Server.Api.Management.Notiflows;
using Notiflows.Storage.Database;
using Notiflows.Storage.Notiflows;

namespace Notiflows.Server.Workers;

/// <summary>
/// Versions are immutable (§5.10), so their parsed step graphs are cached forever (bounded: cleared when large).
/// </summary>
public sealed class VersionCache
{
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<Guid, StepGraph> _graphs = new();

    public async Task<StepGraph> GetAsync(DbSession s, Guid notiflowId, Guid versionId, CancellationToken ct)
    {
        if (_graphs.TryGetValue(versionId, out var graph))
        {
            return graph;
        }
        var row = await NotiflowStore.GetVersionAsync(s, notiflowId, versionId, ct)
            ?? throw new InvalidOperationException($"Version {versionId} of notiflow {notiflowId} does not exist.");
        graph = StepGraph.Build(NotiflowViews.Steps(row));
        if (_graphs.Count >= MaxEntries)
        {
            _graphs.Clear();
        }
        _graphs[versionId] = graph;
        return graph;
    }
}
