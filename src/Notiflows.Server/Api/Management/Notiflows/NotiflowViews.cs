using System.Text.Json;
using System.Text.Json.Nodes;
using Notiflows.Core.Common;
using Notiflows.Core.Definitions;
using Notiflows.Server.Infrastructure;
using Notiflows.Storage.Channels;
using Notiflows.Storage.Notiflows;

namespace Notiflows.Server.Api.Management.Notiflows;

/// <summary>A notiflow with its current and published versions (§5.9), as single-notiflow responses show it.</summary>
public sealed record NotiflowResponse(
    Guid Id, string Handle, string Name, string? Description, bool Active, bool IncludeInPreferences, bool HasUnpublishedChanges,
    Guid CurrentVersionId, Guid? PublishedVersionId, VersionResponse CurrentVersion, VersionResponse? PublishedVersion,
    DateTimeOffset? ArchivedAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>The publish response: the notiflow plus the publish warnings of the version just published (§8.4.2).</summary>
public sealed record PublishResponse(
    Guid Id, string Handle, string Name, string? Description, bool Active, bool IncludeInPreferences, bool HasUnpublishedChanges,
    Guid CurrentVersionId, Guid? PublishedVersionId, VersionResponse CurrentVersion, VersionResponse? PublishedVersion,
    DateTimeOffset? ArchivedAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<FieldError> Warnings);

/// <summary>A notiflow in a list: every field except the versions.</summary>
public sealed record NotiflowSummary(
    Guid Id, string Handle, string Name, string? Description, bool Active, bool IncludeInPreferences, bool HasUnpublishedChanges,
    Guid CurrentVersionId, Guid? PublishedVersionId, DateTimeOffset? ArchivedAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A version (§5.10).</summary>
public sealed record VersionResponse(
    Guid Id, Guid NotiflowId, int VersionNumber, string Status, string Sha, bool Valid, IReadOnlyList<Step> Steps,
    DateTimeOffset? PublishedAt, Guid? CreatedBy, Guid? PublishedBy, DateTimeOffset InsertedAt, DateTimeOffset UpdatedAt);

/// <summary>The response of validate (§8.4).</summary>
public sealed record ValidationReport(bool Valid, IReadOnlyList<FieldError> Errors, IReadOnlyList<FieldError> Warnings);

/// <summary>A step template as its endpoints show it (§5.12).</summary>
public sealed record TemplateResponse(Guid Id, string ChannelType, JsonObject Data);

/// <summary>Maps stored rows to the API's shapes.</summary>
public static class NotiflowViews
{
    public static IReadOnlyList<Step> Steps(VersionRow version) =>
        JsonSerializer.Deserialize<List<Step>>(version.Steps, JsonDefaults.Options) ?? [];

    public static string Serialize(IReadOnlyList<Step> steps) => JsonSerializer.Serialize(steps, JsonDefaults.Options);

    public static IReadOnlyList<ChannelInfo> ChannelInfos(IEnumerable<ChannelRow> channels) =>
        channels.Select(c => new ChannelInfo(c.Handle, c.Type, c.Type == "webhook" && HasUrl(c.Config))).ToList();

    public static VersionResponse Version(VersionRow v, IReadOnlyList<ChannelInfo> channels)
    {
        var steps = Steps(v);
        return new VersionResponse(v.Id, v.NotiflowId, v.VersionNumber, v.Status, v.Sha, PublishValidator.Validate(steps, channels).Valid,
            steps, v.PublishedAt, v.CreatedBy, v.PublishedBy, v.InsertedAt, v.UpdatedAt);
    }

    public static NotiflowResponse Full(NotiflowRow n, VersionRow current, VersionRow? published, IReadOnlyList<ChannelInfo> channels)
    {
        var currentView = Version(current, channels);
        var publishedView = published is null ? null : published.Id == current.Id ? currentView : Version(published, channels);
        return new NotiflowResponse(n.Id, n.Handle, n.Name, n.Description, n.Active, n.IncludeInPreferences, HasDraft(n),
            n.CurrentVersionId, n.PublishedVersionId, currentView, publishedView, n.ArchivedAt, n.CreatedAt, n.UpdatedAt);
    }

    public static PublishResponse Published(NotiflowResponse n, IReadOnlyList<FieldError> warnings) =>
        new(n.Id, n.Handle, n.Name, n.Description, n.Active, n.IncludeInPreferences, n.HasUnpublishedChanges, n.CurrentVersionId,
            n.PublishedVersionId, n.CurrentVersion, n.PublishedVersion, n.ArchivedAt, n.CreatedAt, n.UpdatedAt, warnings);

    public static NotiflowSummary Summary(NotiflowRow n) =>
        new(n.Id, n.Handle, n.Name, n.Description, n.Active, n.IncludeInPreferences, HasDraft(n), n.CurrentVersionId,
            n.PublishedVersionId, n.ArchivedAt, n.CreatedAt, n.UpdatedAt);

    public static bool HasDraft(NotiflowRow n) => n.CurrentVersionId != n.PublishedVersionId;

    private static bool HasUrl(string config) =>
        JsonNode.Parse(config) is JsonObject o && o.TryGetPropertyValue("url", out var url) && url is JsonValue v
        && v.TryGetValue<string>(out var s) && s.Length > 0;
}
