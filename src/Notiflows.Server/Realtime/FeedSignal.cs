namespace Notiflows.Server.Realtime;

/// <summary>
/// A committed change to feeds, as nodes tell each other about it (§15.1). <see cref="Kind"/>: <c>created</c> (new entries,
/// <see cref="EntryIds"/>), <c>updated</c> (state changes of those entries), <c>resync</c> (a bulk change: clients re-fetch),
/// or <c>revoked</c> (the user's credentials stopped being valid: its connections close). Each is followed by a
/// <c>counts</c> event to the connections of that user and channel.
/// </summary>
public sealed record FeedSignal(Guid ProjectId, Guid UserId, Guid ChannelId, string Kind, IReadOnlyList<Guid> EntryIds)
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Resync = "resync";
    public const string Revoked = "revoked";
}
