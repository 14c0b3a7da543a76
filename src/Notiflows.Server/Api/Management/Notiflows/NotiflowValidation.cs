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
            // Publish validation runs on every step that parsed, even when others have schema errors, so one call reports
            // everything (§4.4 "all field errors found in one request are reported together").
            var report = PublishValidator.Validate(steps, NotiflowViews.ChannelInfos(await ChannelStore.AllAsync(s, projectId, ct)));
            var paths = hasSteps ? InputPaths(stepsJson, steps) : null;
            errors.AddRange(report.Errors.Select(e => Rebase(e, paths)));
            var warnings = report.Warnings.Select(e => Rebase(e, paths)).ToList();
            return (new ValidationReport(errors.Count == 0, errors, warnings), null);
        }, ct);

    /// <summary>
    /// Publish errors index the normalised (canonical-order) list; with <c>steps</c> in the body they must name the step as
    /// the client sent it, like the schema errors do (§4.1). Maps canonical index → input index through the step handle.
    /// </summary>
    private static Dictionary<int, int> InputPaths(JsonElement stepsJson, IReadOnlyList<Step> steps)
    {
        var byHandle = new Dictionary<string, int>(StringComparer.Ordinal);
        if (stepsJson.ValueKind == JsonValueKind.Array)
        {
            var i = 0;
            foreach (var element in stepsJson.EnumerateArray())
            {
                if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("handle", out var h) && h.ValueKind == JsonValueKind.String)
                {
                    byHandle.TryAdd(h.GetString()!, i);
                }
                i++;
            }
        }
        var map = new Dictionary<int, int>();
        for (var j = 0; j < steps.Count; j++)
        {
            if (byHandle.TryGetValue(steps[j].Handle, out var input))
            {
                map[j] = input;
            }
        }
        return map;
    }

    private static FieldError Rebase(FieldError error, Dictionary<int, int>? paths)
    {
        if (paths is null || !error.Field.StartsWith("steps[", StringComparison.Ordinal))
        {
            return error;
        }
        var close = error.Field.IndexOf(']', StringComparison.Ordinal);
        return int.TryParse(error.Field.AsSpan(6, close - 6), System.Globalization.CultureInfo.InvariantCulture, out var j) && paths.TryGetValue(j, out var input)
            ? error with { Field = $"steps[{input}]{error.Field[(close + 1)..]}" }
            : error;
    }
}
