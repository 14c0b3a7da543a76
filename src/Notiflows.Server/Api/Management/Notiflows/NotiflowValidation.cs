using System.Text.Json;
using Notiflows.Core.Common;
using Notiflows.Core.Definitions;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Storage.Channels;
using Notiflows.Storage.Database;
using Notiflows.Storage.Notiflows;

namespace Notiflows.Server.Api.Management.Notiflows;

/// <summary>
/// <c>POST /notiflows/{handle}/validate</c> (§8.4): the current version, or the body's <c>steps</c> merged and
/// normalised as an upsert would; schema and publish errors together, warnings apart. Nothing is saved.
/// </summary>
public sealed class NotiflowValidation(Db db, IdGenerator ids)
{
    public Task<(ValidationReport?, ApiError?)> ValidateAsync(Guid projectId, string handleOrId, JsonElement body, CancellationToken ct) =>
        db.ReadAsync<(ValidationReport?, ApiError?)>(async s =>
        {
            var n = await NotiflowLookup.FindAsync(s, projectId, handleOrId, ct);
            var hasSteps = body.TryGetProperty("steps", out var stepsJson);
            if (n is null && (!hasSteps || NotiflowLookup.IsUuid(handleOrId, out _)))
            {
                return (null, NotiflowLookup.NotFound(handleOrId));
            }
            var current = n is null ? [] : NotiflowViews.Steps((await NotiflowStore.GetVersionAsync(s, n.Id, n.CurrentVersionId, ct))!);
            var errors = new List<FieldError>();
            var steps = current;
            if (hasSteps)
            {
                var parsed = DefinitionParser.ParseSteps(stepsJson, current, ids.New);
                errors.AddRange(parsed.Errors);
                steps = parsed.Steps;
            }
            var warnings = new List<FieldError>();
            if (errors.Count == 0)
            {
                var report = PublishValidator.Validate(steps, NotiflowViews.ChannelInfos(await ChannelStore.AllAsync(s, projectId, ct)));
                errors.AddRange(report.Errors);
                warnings.AddRange(report.Warnings);
            }
            return (new ValidationReport(errors.Count == 0, errors, warnings), null);
        }, ct);
}
