using System.Text.Json;
using Notiflows.Core.Common;
using Notiflows.Core.Definitions;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Storage.Database;
using Notiflows.Storage.Notiflows;

namespace Notiflows.Server.Api.Management.Notiflows;

/// <summary>
/// <c>PUT /notiflows/{handle}</c> (§8.4.1), in the spec's processing order: schema validation, archived,
/// <c>expected_sha</c>, template merge and normalisation, then create (201) or update (200).
/// </summary>
public sealed class NotiflowUpsert(Db db, IdGenerator ids, TimeProvider time, NotiflowVersions versions)
{
    private static readonly JsonElement DefaultSteps = JsonDocument.Parse("""
        [{"handle": "trigger", "type": "trigger", "position": 0}, {"handle": "end", "type": "end", "position": 1}]
        """).RootElement;

    public async Task<UpsertOutcome> UpsertAsync(Guid projectId, string handleOrId, JsonElement body, Guid tokenId, CancellationToken ct)
    {
        try
        {
            return await db.WriteAsync(s => UpsertAsync(s, projectId, handleOrId, body, tokenId, ct), ct);
        }
        catch (Exception ex) when (Db.IsUniqueViolation(ex))
        {
            // Two creates of the same handle raced (PostgreSQL); the loser now finds the notiflow and updates it.
            return await db.WriteAsync(s => UpsertAsync(s, projectId, handleOrId, body, tokenId, ct), ct);
        }
    }

    private async Task<UpsertOutcome> UpsertAsync(DbSession s, Guid projectId, string handleOrId, JsonElement body, Guid tokenId, CancellationToken ct)
    {
        var byId = NotiflowLookup.IsUuid(handleOrId, out _);
        var existing = await NotiflowLookup.FindAsync(s, projectId, handleOrId, ct);
        if (byId && existing is null)
        {
            return new(null, false, NotiflowLookup.NotFound(handleOrId));
        }
        var errors = new List<FieldError>();
        var handle = existing?.Handle ?? handleOrId;
        if (existing is null && !NotiflowLookup.IsValidHandle(handle))
        {
            errors.Add(new FieldError("handle", "must be lowercase letters, digits and single dashes (1-100 characters), not a UUID", Reasons.Format));
        }
        var fields = Read(body, existing is null, handle, errors);
        var currentSteps = existing is null ? [] : NotiflowViews.Steps((await NotiflowStore.GetVersionAsync(s, existing.Id, existing.CurrentVersionId, ct))!);
        IReadOnlyList<Step>? steps = null;
        if (fields.Steps is { } stepsJson)
        {
            var parsed = DefinitionParser.ParseSteps(stepsJson, currentSteps, ids.New);
            errors.AddRange(parsed.Errors);
            steps = parsed.Steps;
        }
        if (errors.Count > 0)
        {
            return new(null, false, ApiError.Validation(errors));
        }
        if (existing?.ArchivedAt is not null)
        {
            return new(null, false, NotiflowLookup.Archived());
        }
        if (fields.ExpectedSha.IsPresent && await ShaConflictAsync(s, existing, fields.ExpectedSha.Value, ct) is { } conflict)
        {
            return new(null, false, conflict);
        }
        var now = time.Now();
        if (existing is null)
        {
            var created = await CreateAsync(s, projectId, handle, fields, steps, tokenId, now, ct);
            return new(await NotiflowLookup.ViewAsync(s, created, ct), true, null);
        }
        var changed = fields.ApplyTo(existing);
        if (steps is not null)
        {
            changed |= await versions.ApplyAsync(s, existing, steps, tokenId, now, ct);
        }
        if (changed)
        {
            existing.UpdatedAt = now;
            await NotiflowStore.UpdateAsync(s, existing, ct);
        }
        return new(await NotiflowLookup.ViewAsync(s, existing, ct), false, null);
    }

    private async Task<NotiflowRow> CreateAsync(
        DbSession s, Guid projectId, string handle, UpsertFields fields, IReadOnlyList<Step>? steps, Guid tokenId, DateTimeOffset now, CancellationToken ct)
    {
        steps ??= DefinitionParser.ParseSteps(DefaultSteps, [], ids.New).Steps;
        var row = new NotiflowRow
        {
            Id = ids.New(), ProjectId = projectId, Handle = handle, CurrentVersionId = ids.New(), CreatedAt = now, UpdatedAt = now,
        };
        fields.ApplyTo(row);
        // The version references the notiflow: insert the notiflow first, pointing at the version id about to be written.
        await NotiflowStore.InsertAsync(s, row, ct);
        await versions.InsertDraftAsync(s, row.Id, 1, steps, VersionSha.Compute(steps), tokenId, now, ct, row.CurrentVersionId);
        return row;
    }

    private static async Task<ApiError?> ShaConflictAsync(DbSession s, NotiflowRow? existing, string? expected, CancellationToken ct)
    {
        string? current = null;
        if (existing is not null)
        {
            current = (await NotiflowStore.GetVersionAsync(s, existing.Id, existing.CurrentVersionId, ct))!.Sha;
        }
        return string.Equals(current, expected, StringComparison.Ordinal)
            ? null
            : ApiError.Conflict("expected_sha does not match the current version", ("expected_sha", expected), ("current_sha", current));
    }

    private static UpsertFields Read(JsonElement body, bool creating, string handle, List<FieldError> errors)
    {
        var r = new ObjectReader(body, "", errors);
        var name = r.String("name", 1, 255);
        if ((creating && !r.Has("name")) || name.IsNull)
        {
            r.Add("name", "can't be blank", Reasons.Required);
        }
        var handleField = r.String("handle");
        if (handleField.IsPresent && !string.Equals(handleField.Value, handle, StringComparison.Ordinal))
        {
            r.Add("handle", "must equal the handle in the path", Reasons.Invalid);
        }
        var steps = r.Raw("steps");
        var expected = r.String("expected_sha");
        return new UpsertFields(
            name, r.String("description", 0, 2000), r.Bool("active"), r.Bool("include_in_preferences"),
            steps.IsPresent ? steps.Value : null, expected);
    }

    private sealed record UpsertFields(
        Optional<string> Name, Optional<string> Description, Optional<bool?> Active, Optional<bool?> IncludeInPreferences,
        JsonElement? Steps, Optional<string> ExpectedSha)
    {
        public bool ApplyTo(NotiflowRow row)
        {
            var before = (row.Name, row.Description, row.Active, row.IncludeInPreferences);
            if (Name.IsPresent && Name.Value is not null)
            {
                row.Name = Name.Value;
            }
            if (Description.IsPresent)
            {
                row.Description = Description.Value;
            }
            if (Active.IsPresent)
            {
                row.Active = Active.Value ?? true;
            }
            if (IncludeInPreferences.IsPresent)
            {
                row.IncludeInPreferences = IncludeInPreferences.Value ?? true;
            }
            return before != (row.Name, row.Description, row.Active, row.IncludeInPreferences);
        }
    }
}

public sealed record UpsertOutcome(NotiflowResponse? Notiflow, bool Created, ApiError? Error);
