using System.Collections.Concurrent;
using Notiflows.Storage.Projects;

namespace Notiflows.Server.Auth;

/// <summary>
/// Recently verified project keys, so the Admin API's hot path (runs) does not read the key and project rows on every
/// request. Entries live <see cref="Ttl"/> at most: a key rotated or revoked on another node stops working within it,
/// and on this node at once (rotation clears the cache).
/// </summary>
public sealed class KeyCache(TimeProvider time)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<string, (ProjectKeyRow? Key, DateTimeOffset Until)> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Guid, (ProjectRow Project, DateTimeOffset Until)> _projects = new();

    public async Task<ProjectKeyRow?> KeyAsync(string kind, string value, Func<Task<ProjectKeyRow?>> load)
    {
        var now = time.GetUtcNow();
        var id = kind + ":" + value;
        if (_keys.TryGetValue(id, out var hit) && hit.Until > now && (hit.Key?.ExpiresAt is null || hit.Key.ExpiresAt > now))
        {
            return hit.Key;
        }
        var key = await load();
        if (_keys.Count > 10_000)
        {
            _keys.Clear();
        }
        _keys[id] = (key, now + Ttl);
        return key;
    }

    public async Task<ProjectRow?> ProjectAsync(Guid id, Func<Task<ProjectRow?>> load)
    {
        var now = time.GetUtcNow();
        if (_projects.TryGetValue(id, out var hit) && hit.Until > now)
        {
            return hit.Project;
        }
        var project = await load();
        if (project is not null)
        {
            _projects[id] = (project, now + Ttl);
        }
        return project;
    }

    public void Clear()
    {
        _keys.Clear();
        _projects.Clear();
    }
}
