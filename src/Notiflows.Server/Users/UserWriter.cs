using System.Text.Json.Nodes;
using Notiflows.Core.Users;
using Notiflows.Server.Infrastructure;
using Notiflows.Storage.Database;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Users;

/// <summary>Upserts users by external id inside the caller's transaction (§5.1 merge rules; updated_at only on change).</summary>
public sealed class UserWriter(IdGenerator ids)
{
    public async Task<Dictionary<string, UserRow>> UpsertManyAsync(
        DbSession s, Guid projectId, IReadOnlyList<UserInput> inputs, DateTimeOffset now, CancellationToken ct)
    {
        var result = new Dictionary<string, UserRow>(StringComparer.Ordinal);
        if (inputs.Count == 0)
        {
            return result;
        }
        var externalIds = inputs.Select(i => i.ExternalId).Distinct(StringComparer.Ordinal).ToList();
        var existing = (await UserStore.LockByExternalIdsAsync(s, projectId, externalIds, ct)).ToDictionary(u => u.ExternalId, StringComparer.Ordinal);
        // Every mention is applied in order (the actor may also be a recipient; a run may name a user twice), one write per user.
        foreach (var mentions in inputs.GroupBy(i => i.ExternalId, StringComparer.Ordinal))
        {
            var externalId = mentions.Key;
            if (!existing.TryGetValue(externalId, out var row))
            {
                row = new UserRow { Id = ids.New(), ProjectId = projectId, ExternalId = externalId, CreatedAt = now, UpdatedAt = now };
                ApplyAll(row, mentions);
                if (await UserStore.InsertIfAbsentAsync(s, row, ct))
                {
                    result[externalId] = row;
                    continue;
                }
                // Created by a concurrent request since we looked (PostgreSQL): merge into that one instead.
                row = (await UserStore.LockByExternalIdsAsync(s, projectId, [externalId], ct))[0];
            }
            var before = Snapshot(row);
            ApplyAll(row, mentions);
            if (Snapshot(row) != before)
            {
                row.UpdatedAt = now;
                await UserStore.UpdateAsync(s, row, ct);
            }
            result[externalId] = row;
        }
        return result;
    }

    private static void ApplyAll(UserRow row, IEnumerable<UserInput> mentions)
    {
        foreach (var input in mentions)
        {
            Apply(row, input);
        }
    }

    /// <summary>Applies supplied attributes; returns whether anything changed.</summary>
    public static bool Apply(UserRow row, UserInput input)
    {
        var before = Snapshot(row);
        row.Email = input.Email.Or(row.Email);
        row.Phone = input.Phone.Or(row.Phone);
        row.FirstName = input.FirstName.Or(row.FirstName);
        row.LastName = input.LastName.Or(row.LastName);
        row.Avatar = input.Avatar.Or(row.Avatar);
        row.Locale = input.Locale.Or(row.Locale);
        row.Timezone = input.Timezone.Or(row.Timezone);
        if (input.CustomFields.IsPresent)
        {
            var current = JsonNode.Parse(row.CustomFields) as JsonObject ?? [];
            row.CustomFields = (input.CustomFields.Value is null ? [] : UserFields.DeepMerge(current, input.CustomFields.Value)).ToJsonString();
        }
        return before != Snapshot(row);
    }

    private static (string?, string?, string?, string?, string?, string?, string?, string) Snapshot(UserRow row) =>
        (row.Email, row.Phone, row.FirstName, row.LastName, row.Avatar, row.Locale, row.Timezone, row.CustomFields);
}
