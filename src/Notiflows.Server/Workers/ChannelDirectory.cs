using System.Text.Json.Nodes;
using Notiflows.Core.Engine;
using Notiflows.Storage.Channels;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Workers;

/// <summary>A project's channels as the engine resolves them: by handle, else the default of the type (§12.3).</summary>
public sealed class ChannelDirectory(IReadOnlyList<ChannelRow> channels) : IChannelDirectory
{
    public static async Task<ChannelDirectory> LoadAsync(DbSession s, Guid projectId, CancellationToken ct) =>
        new(await ChannelStore.AllAsync(s, projectId, ct));

    public ChannelTarget? Resolve(string type, string? handle)
    {
        var row = handle is null
            ? channels.FirstOrDefault(c => c.Type == type && c.IsDefault)
            : channels.FirstOrDefault(c => c.Handle == handle && c.Type == type);
        return row is null ? null : new ChannelTarget(row.Id, row.Handle, row.Type, row.Provider, JsonNode.Parse(row.Config) as JsonObject ?? []);
    }
}
