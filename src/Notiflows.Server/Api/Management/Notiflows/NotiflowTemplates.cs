using System.Text.Json;
using Notiflows.Core.Definitions;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Storage.Database;
using Notiflows.Storage.Notiflows;

namespace Notiflows.Server.Api.Management.Notiflows;

/// <summary>Step templates of the current version (§8.6): read, and copy-on-write replace.</summary>
public sealed class NotiflowTemplates(Db db, IdGenerator ids, TimeProvider time, NotiflowVersions versions)
{
    public Task<(TemplateResponse?, ApiError?)> GetAsync(Guid projectId, string handleOrId, string stepHandle, CancellationToken ct) =>
        db.ReadAsync<(TemplateResponse?, ApiError?)>(async s =>
        {
            var n = await NotiflowLookup.FindAsync(s, projectId, handleOrId, ct);
            if (n is null)
            {
                return (null, NotiflowLookup.NotFound(handleOrId));
            }
            var steps = NotiflowViews.Steps((await NotiflowStore.GetVersionAsync(s, n.Id, n.CurrentVersionId, ct))!);
            var step = steps.FirstOrDefault(x => string.Equals(x.Handle, stepHandle, StringComparison.Ordinal));
            if (step is null)
            {
                return (null, ApiError.NotFound("step", stepHandle));
            }
            return step.Template is { } t ? (View(t), null) : (null, ApiError.NotFound("template", stepHandle));
        }, ct);

    public Task<(TemplateResponse?, bool Created, ApiError?)> PutAsync(
        Guid projectId, string handleOrId, string stepHandle, JsonElement body, Guid tokenId, CancellationToken ct) =>
        db.WriteAsync<(TemplateResponse?, bool, ApiError?)>(async s =>
        {
            var n = await NotiflowLookup.FindAsync(s, projectId, handleOrId, ct);
            if (n is null)
            {
                return (null, false, NotiflowLookup.NotFound(handleOrId));
            }
            var steps = NotiflowViews.Steps((await NotiflowStore.GetVersionAsync(s, n.Id, n.CurrentVersionId, ct))!);
            var index = steps.ToList().FindIndex(x => string.Equals(x.Handle, stepHandle, StringComparison.Ordinal));
            if (index < 0)
            {
                return (null, false, ApiError.NotFound("step", stepHandle));
            }
            var step = steps[index];
            var parsed = DefinitionParser.ParseTemplate(body, step, ids.New);
            if (parsed.Errors.Count > 0)
            {
                return (null, false, ApiError.Validation(parsed.Errors));
            }
            if (n.ArchivedAt is not null)
            {
                return (null, false, NotiflowLookup.Archived());
            }
            var updated = steps.ToList();
            updated[index] = step with { Template = parsed.Template };
            var now = time.Now();
            if (await versions.ApplyAsync(s, n, updated, tokenId, now, ct))
            {
                await NotiflowStore.UpdateAsync(s, n, ct);
            }
            // After the change the current version holds the template actually stored (a new id only if a version was created).
            var current = NotiflowViews.Steps((await NotiflowStore.GetVersionAsync(s, n.Id, n.CurrentVersionId, ct))!);
            var stored = current.First(x => string.Equals(x.Handle, stepHandle, StringComparison.Ordinal)).Template!;
            return (View(stored), step.Template is null, null);
        }, ct);

    private static TemplateResponse View(Template t) => new(t.Id, t.ChannelType, t.Data);
}
