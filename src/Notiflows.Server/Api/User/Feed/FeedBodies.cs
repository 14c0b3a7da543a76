using System.Text.Json;
using Notiflows.Core.Common;
using Notiflows.Core.Feed;
using Notiflows.Server.Infrastructure.Paging;

namespace Notiflows.Server.Api.User.Feed;

/// <summary>The feed list (§7.2): a cursor page of entries, the count under its filters and the channel's badge counts.</summary>
public sealed record FeedList(IReadOnlyList<FeedEntryResponse> Items, CursorInfo Page, long TotalCount, long TotalUnread, long TotalUnseen);

/// <summary>The body of a single update, and the <c>set</c> of a batch (§7.3): documentation only, read by <see cref="FeedChange.Parse"/>.</summary>
public sealed record FeedEntryPatch(bool? Seen, bool? Read, bool? Clicked, bool? Archived);

/// <summary>A batch update (§7.3); read by <see cref="FeedBatch.Read"/>.</summary>
public sealed record FeedBatchPatch(IReadOnlyList<Guid> EntryIds, FeedEntryPatch Set);

/// <summary>Mark-all's <c>set</c> (§7.1): each flag only <c>true</c>.</summary>
public sealed record MarkAllSet(bool? Seen, bool? Read, bool? Archived);

public sealed record MarkAllBody(MarkAllSet Set);

public sealed record MarkAllResponse(int UpdatedCount);

/// <summary>A batch update read from its body: the entry ids in request order without duplicates, and the change.</summary>
public sealed record FeedBatch(IReadOnlyList<Guid> EntryIds, FeedChange Change)
{
    public const int MaxEntries = 100;

    /// <summary>
    /// Reads <c>entry_ids</c> (1–100 UUIDs, duplicates ignored; each offending element reported at <c>entry_ids[i]</c>)
    /// and <c>set</c>; every field error is collected, and null returned when there is any.
    /// </summary>
    public static FeedBatch? Read(JsonElement body, List<FieldError> errors)
    {
        var ids = ReadIds(body, errors);
        FeedChange? change = null;
        if (!body.TryGetProperty("set", out var set) || set.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new FieldError("set", "is required", Reasons.Required));
        }
        else if (set.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new FieldError("set", "must be an object", Reasons.Invalid));
        }
        else
        {
            change = FeedChange.Parse(set, "set", "set", errors);
        }
        return ids is not null && change is not null ? new FeedBatch(ids, change) : null;
    }

    private static List<Guid>? ReadIds(JsonElement body, List<FieldError> errors)
    {
        if (!body.TryGetProperty("entry_ids", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            errors.Add(new FieldError("entry_ids", "is required", Reasons.Required));
            return null;
        }
        if (array.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new FieldError("entry_ids", "must be an array of UUIDs", Reasons.Invalid));
            return null;
        }
        var before = errors.Count;
        var ids = new List<Guid>();
        var seen = new HashSet<Guid>();
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                errors.Add(new FieldError($"entry_ids[{i}]", "must be a UUID string", Reasons.Invalid));
            }
            else if (!Guid.TryParse(item.GetString(), out var id))
            {
                errors.Add(new FieldError($"entry_ids[{i}]", "must be a UUID", Reasons.Format));
            }
            else if (seen.Add(id))
            {
                ids.Add(id);
            }
            i++;
        }
        if (errors.Count == before && (ids.Count == 0 || ids.Count > MaxEntries))
        {
            errors.Add(new FieldError("entry_ids", $"must have 1-{MaxEntries} entry ids", ids.Count == 0 ? Reasons.TooShort : Reasons.TooMany));
        }
        return errors.Count == before ? ids : null;
    }
}
