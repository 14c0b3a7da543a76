using System.Text.Json;
using System.Text.RegularExpressions;
using Notiflows.Core.Channels;
using Notiflows.Core.Common;
using Notiflows.Server.Api.Management.Notiflows;
using Notiflows.Server.Errors;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Startup;
using Notiflows.Storage.Channels;
using Notiflows.Storage.Database;
using Notiflows.Storage.Notiflows;
using Notiflows.Storage.Users;

namespace Notiflows.Server.Api.Management.Channels;

/// <summary>Channel create/update (§8.7: config merge, secrets, defaults, fallbacks) and delete (guards).</summary>
public sealed partial class ChannelWriter(Db db, IdGenerator ids, TimeProvider time, MasterKey key)
{
    // \z, not $: "$" also matches before a trailing newline ("email%0A" in the path).
    [GeneratedRegex("^[a-z0-9]+([_-][a-z0-9]+)*\\z", RegexOptions.CultureInvariant)]
    private static partial Regex HandlePattern();

    public async Task<(ChannelResponse? Channel, bool Created, ApiError? Error)> PutAsync(
        Guid projectId, string handleOrId, JsonElement body, CancellationToken ct)
    {
        try
        {
            return await PutOnceAsync(projectId, handleOrId, body, ct);
        }
        catch (Exception ex) when (Db.IsUniqueViolation(ex))
        {
            // A concurrent PUT created the same handle first (PostgreSQL: the FOR UPDATE read locks no row that does not
            // exist yet). Run again: this PUT is now an update of that channel, as if it had arrived second.
            return await PutOnceAsync(projectId, handleOrId, body, ct);
        }
    }

    private Task<(ChannelResponse? Channel, bool Created, ApiError? Error)> PutOnceAsync(
        Guid projectId, string handleOrId, JsonElement body, CancellationToken ct) =>
        db.WriteAsync<(ChannelResponse?, bool, ApiError?)>(async s =>
        {
            await ChannelStore.LockProjectAsync(s, projectId, ct);
            var existing = await FindAsync(s, projectId, handleOrId, ct);
            var isId = Guid.TryParseExact(handleOrId, "D", out _);
            if (isId && existing is null)
            {
                return (null, false, ApiError.NotFound("channel", handleOrId));
            }
            var errors = new List<FieldError>();
            var r = new ObjectReader(body, "", errors);
            if (existing is null && (handleOrId.Length > 100 || !HandlePattern().IsMatch(handleOrId)))
            {
                r.Add("handle", "must be lowercase letters and digits separated by single '-' or '_' (1-100 characters)", Reasons.Format);
            }
            var name = r.String("name", 1, 255);
            var type = r.String("type");
            var provider = r.String("provider");
            var makeDefault = r.Bool("default");
            var fallback = r.String("fallback_channel");
            var configInput = r.Raw("config");
            Require(r, existing is null, "name", name);
            Require(r, existing is null, "type", type);
            Require(r, existing is null, "provider", provider);
            var finalType = existing?.Type ?? type.Value;
            if (type.Value is not null && !ChannelTypes.IsValid(type.Value))
            {
                r.Add("type", "must be one of " + string.Join(", ", ChannelTypes.All), Reasons.Invalid);
            }
            else if (existing is not null && type.Value is not null && type.Value != existing.Type)
            {
                r.Add("type", "cannot be changed", Reasons.NotAllowed);
            }
            var finalProvider = provider.Value ?? existing?.Provider;
            if (finalType is not null && ChannelTypes.IsValid(finalType) && finalProvider is not null && !ProviderCatalog.IsValidFor(finalType, finalProvider))
            {
                r.Add("provider", $"must be one of {string.Join(", ", ProviderCatalog.ProvidersFor(finalType))} for type {finalType}", Reasons.Invalid);
            }
            if (configInput.IsPresent && configInput.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
            {
                r.Add("config", "must be an object", Reasons.Invalid);
            }
            if (errors.Count > 0)
            {
                return (null, false, ApiError.Validation(errors));
            }
            var stored = existing is null ? null : ChannelViews.Decrypt(existing, key);
            var merged = ChannelConfigMerger.Merge(finalType!, finalProvider!, stored, configInput.IsPresent ? configInput.Value : ChannelViews.Undefined,
                providerChanged: existing is not null && existing.Provider != finalProvider);
            errors.AddRange(merged.Errors);
            var all = await ChannelStore.AllAsync(s, projectId, ct);
            var handle = existing?.Handle ?? handleOrId;
            var fallbackHandle = fallback.IsPresent ? fallback.Value : existing?.FallbackChannel;
            CheckFallback(r, all, handle, finalType!, fallbackHandle, fallback.IsPresent);
            if (existing is { IsDefault: true } && makeDefault.IsPresent && makeDefault.Value == false)
            {
                r.Add("default", "make another channel the default instead", Reasons.NotAllowed);
            }
            if (errors.Count > 0)
            {
                return (null, false, ApiError.Validation(errors));
            }
            var now = time.Now();
            var firstOfType = !all.Any(c => c.Type == finalType && c.Id != existing?.Id);
            var becomesDefault = firstOfType || makeDefault.Value == true;
            if (becomesDefault && existing is not { IsDefault: true })
            {
                await ChannelStore.ClearDefaultAsync(s, projectId, finalType!, now, ct);
            }
            var row = existing ?? new ChannelRow
            {
                Id = ids.New(), ProjectId = projectId, Handle = handle, Type = finalType!, BuiltIn = false, CreatedAt = now,
            };
            row.Name = name.Value ?? row.Name;
            row.Provider = finalProvider!;
            row.IsDefault = row.IsDefault || becomesDefault;
            row.Config = merged.Config!.Public.ToJsonString();
            row.Secrets = ChannelViews.EncryptSecrets(merged.Config, key);
            row.FallbackChannel = fallbackHandle;
            row.UpdatedAt = now;
            await (existing is null ? ChannelStore.InsertAsync(s, row, ct) : ChannelStore.UpdateAsync(s, row, ct));
            return (ChannelViews.Management(row, key, merged.RevealOnce), existing is null, null);
        }, ct);

    public Task<ApiError?> DeleteAsync(Guid projectId, string handleOrId, CancellationToken ct) =>
        db.WriteAsync<ApiError?>(async s =>
        {
            await ChannelStore.LockProjectAsync(s, projectId, ct);
            var channel = await FindAsync(s, projectId, handleOrId, ct);
            if (channel is null)
            {
                return ApiError.NotFound("channel", handleOrId);
            }
            var all = await ChannelStore.AllAsync(s, projectId, ct);
            if (all.FirstOrDefault(c => c.FallbackChannel == channel.Handle) is { } user)
            {
                return ApiError.Conflict($"Channel is the fallback of '{user.Handle}'", ("reason", "used_as_fallback"), ("id", user.Handle));
            }
            var othersOfType = all.Count(c => c.Type == channel.Type && c.Id != channel.Id);
            foreach (var version in await NotiflowStore.PublishedVersionsAsync(s, projectId, ct))
            {
                var uses = NotiflowViews.Steps(version).Any(step => step.Type == "channel" && step.ChannelType == channel.Type
                    && (step.ChannelHandle == channel.Handle || (step.ChannelHandle is null && othersOfType == 0)));
                if (uses)
                {
                    return ApiError.Conflict("Channel is used by a published notiflow", ("reason", "channel_in_use"), ("id", channel.Handle));
                }
            }
            await ChannelStore.DeleteAsync(s, channel.Id, ct);
            await ChannelSettingsStore.DeleteForChannelAsync(s, channel.Id, ct);
            if (channel.IsDefault)
            {
                await ChannelStore.PromoteOldestAsync(s, projectId, channel.Type, time.Now(), ct);
            }
            return null;
        }, ct);

    public static Task<ChannelRow?> FindAsync(DbSession s, Guid projectId, string handleOrId, CancellationToken ct) =>
        Guid.TryParseExact(handleOrId, "D", out var id)
            ? ChannelStore.GetByIdAsync(s, projectId, id, ct)
            : ChannelStore.GetByHandleAsync(s, projectId, handleOrId, ct);

    private static void Require(ObjectReader r, bool creating, string field, Optional<string> value)
    {
        if ((creating && value.Value is null && !r.Errors.Exists(e => e.Field == field)) || value.IsNull)
        {
            r.Add(field, "can't be blank", Reasons.Required);
        }
    }

    /// <summary>Fallbacks (§5.5): another channel of the same type, and no chains in either direction.</summary>
    private static void CheckFallback(ObjectReader r, IReadOnlyList<ChannelRow> all, string handle, string type, string? fallback, bool supplied)
    {
        if (fallback is null || !supplied)
        {
            return;
        }
        var target = all.FirstOrDefault(c => c.Handle == fallback);
        var reason = target is null ? "must name an existing channel"
            : fallback == handle ? "cannot be the channel itself"
            : target.Type != type ? "must be a channel of the same type"
            : target.FallbackChannel is not null ? "names a channel that has a fallback of its own (no chains)"
            : all.Any(c => c.FallbackChannel == handle) ? "cannot be set on a channel that is another channel's fallback (no chains)"
            : null;
        if (reason is not null)
        {
            r.Add("fallback_channel", reason, Reasons.Invalid);
        }
    }
}
