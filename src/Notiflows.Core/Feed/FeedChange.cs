using System.Text.Json;
using Notiflows.Core.Common;

namespace Notiflows.Core.Feed;

/// <summary>A feed entry's engagement timestamps (§5.16).</summary>
public readonly record struct FeedState(DateTimeOffset? SeenAt, DateTimeOffset? ReadAt, DateTimeOffset? ClickedAt, DateTimeOffset? ArchivedAt)
{
    /// <summary>The derived status (§13.6): archived over read over seen over unseen.</summary>
    public string Status => ArchivedAt is not null ? "archived" : ReadAt is not null ? "read" : SeenAt is not null ? "seen" : "unseen";
}

/// <summary>
/// A change to feed entries' engagement state (§7.3, §13.6); null flags are left alone. <c>seen</c>, <c>read</c> and
/// <c>clicked</c> set their timestamp once and never overwrite it, each flag touches only its own timestamp (read does
/// not imply seen), <c>archived</c> sets or clears. Asking to clear seen, read or clicked is refused as a whole
/// (<see cref="ClearsOnceOnly"/>: 409).
/// </summary>
public sealed record FeedChange(bool? Seen, bool? Read, bool? Clicked, bool? Archived)
{
    public static readonly IReadOnlyList<string> AllowedTransitions = ["seen", "read", "clicked", "archived", "unarchived"];

    private static readonly string[] Flags = ["seen", "read", "clicked", "archived"];

    /// <summary>The flags mark-all accepts, each only as <c>true</c> (§7.1).</summary>
    private static readonly string[] MarkAllFlags = ["seen", "read", "archived"];

    /// <summary>True when the change would clear a timestamp that is set once and never cleared.</summary>
    public bool ClearsOnceOnly => Seen == false || Read == false || Clicked == false;

    /// <summary>The state after the change, at <paramref name="now"/>; equal to <paramref name="state"/> when nothing changes.</summary>
    public FeedState ApplyTo(FeedState state, DateTimeOffset now) => new(
        Seen == true ? state.SeenAt ?? now : state.SeenAt,
        Read == true ? state.ReadAt ?? now : state.ReadAt,
        Clicked == true ? state.ClickedAt ?? now : state.ClickedAt,
        Archived switch { true => state.ArchivedAt ?? now, false => null, null => state.ArchivedAt });

    /// <summary>
    /// Reads the four flags of a PATCH body or batch <c>set</c> (§7.3): each present one must be a boolean (422
    /// <c>invalid</c>), and at least one must be present (422 <c>required</c> on <paramref name="requiredField"/>).
    /// </summary>
    public static FeedChange? Parse(JsonElement obj, string prefix, string requiredField, List<FieldError> errors)
    {
        var r = new ObjectReader(obj, prefix, errors);
        var before = errors.Count;
        var flags = Flags.Select(name => Flag(r, name)).ToArray();
        if (errors.Count > before)
        {
            return null;
        }
        if (flags.All(f => f is null))
        {
            errors.Add(new FieldError(requiredField, "must set at least one of seen, read, clicked, archived", Reasons.Required));
            return null;
        }
        return new FeedChange(flags[0], flags[1], flags[2], flags[3]);
    }

    /// <summary>
    /// Reads mark-all's <c>set</c> (§7.1): an object of <c>seen</c>, <c>read</c>, <c>archived</c>, each only <c>true</c>
    /// (422 <c>invalid</c>); any other key → 422 <c>not_allowed</c>; none → 422 <c>required</c>.
    /// </summary>
    public static FeedChange? ParseMarkAll(JsonElement body, List<FieldError> errors)
    {
        if (!body.TryGetProperty("set", out var set) || set.ValueKind == JsonValueKind.Null)
        {
            return Fail(errors, "set", "is required", Reasons.Required);
        }
        if (set.ValueKind != JsonValueKind.Object)
        {
            return Fail(errors, "set", "must be an object", Reasons.Invalid);
        }
        var before = errors.Count;
        foreach (var property in set.EnumerateObject())
        {
            if (!MarkAllFlags.Contains(property.Name, StringComparer.Ordinal))
            {
                errors.Add(new FieldError($"set.{property.Name}", "is not allowed (mark-all sets seen, read or archived)", Reasons.NotAllowed));
            }
            else if (property.Value.ValueKind != JsonValueKind.True)
            {
                errors.Add(new FieldError($"set.{property.Name}", "must be true", Reasons.Invalid));
            }
        }
        if (errors.Count > before)
        {
            return null;
        }
        bool? Has(string name) => set.TryGetProperty(name, out _) ? true : null;
        var change = new FeedChange(Has("seen"), Has("read"), null, Has("archived"));
        return change is { Seen: null, Read: null, Archived: null }
            ? Fail(errors, "set", "must set at least one of seen, read, archived", Reasons.Required)
            : change;
    }

    private static bool? Flag(ObjectReader r, string name)
    {
        var raw = r.Raw(name);
        if (!raw.IsPresent)
        {
            return null;
        }
        if (raw.Value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return raw.Value.GetBoolean();
        }
        r.Add(name, "must be a boolean", Reasons.Invalid);
        return null;
    }

    private static FeedChange? Fail(List<FieldError> errors, string field, string message, string reason)
    {
        errors.Add(new FieldError(field, message, reason));
        return null;
    }
}
