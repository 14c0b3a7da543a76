using System.Text.RegularExpressions;
using Notiflows.Server.Errors;
using Notiflows.Storage.Channels;
using Notiflows.Storage.Database;
using Notiflows.Storage.Notiflows;

namespace Notiflows.Server.Api.Management.Notiflows;

/// <summary>Finding a notiflow by "handle or id" (§4.3) and loading what its responses need.</summary>
public static partial class NotiflowLookup
{
    [GeneratedRegex(@"^[a-z0-9]+(-[a-z0-9]+)*\z")]
    private static partial Regex HandlePattern();

    public static bool IsUuid(string value, out Guid id) => Guid.TryParseExact(value, "D", out id);

    public static bool IsValidHandle(string handle) => handle.Length is >= 1 and <= 100 && HandlePattern().IsMatch(handle) && !IsUuid(handle, out _);

    /// <summary>The notiflow (locked for update inside a write), or null; a UUID is looked up as an id.</summary>
    public static Task<NotiflowRow?> FindAsync(DbSession s, Guid projectId, string handleOrId, CancellationToken ct, bool lockRow = true) =>
        IsUuid(handleOrId, out var id)
            ? NotiflowStore.GetByIdAsync(s, projectId, id, ct, lockRow)
            : NotiflowStore.GetByHandleAsync(s, projectId, handleOrId, ct, lockRow);

    public static ApiError NotFound(string handleOrId) => ApiError.NotFound("notiflow", handleOrId);

    public static ApiError Archived() =>
        ApiError.Conflict("Notiflow is archived", ("current_status", "archived"));

    /// <summary>Builds the full response: current and published versions, with <c>valid</c> against the project's channels.</summary>
    public static async Task<NotiflowResponse> ViewAsync(DbSession s, NotiflowRow n, CancellationToken ct)
    {
        var current = await NotiflowStore.GetVersionAsync(s, n.Id, n.CurrentVersionId, ct);
        var published = n.PublishedVersionId is { } pid && pid != n.CurrentVersionId ? await NotiflowStore.GetVersionAsync(s, n.Id, pid, ct) : null;
        if (n.PublishedVersionId == n.CurrentVersionId)
        {
            published = current;
        }
        var channels = NotiflowViews.ChannelInfos(await ChannelStore.AllAsync(s, n.ProjectId, ct));
        return NotiflowViews.Full(n, current!, published, channels);
    }
}
