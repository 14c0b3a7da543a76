using Notiflows.Core.Channels;
using Notiflows.Core.Secrets;
using Notiflows.Server.Infrastructure;
using Notiflows.Storage.Channels;
using Notiflows.Storage.Database;
using Notiflows.Storage.Projects;

namespace Notiflows.Server.Api.Management.Projects;

/// <summary>Creates a project with its key pair and the built-in channels (§14.1), inside the caller's transaction.</summary>
public sealed class ProjectCreator(IdGenerator ids, TimeProvider time)
{
    public async Task<CreatedProject> CreateAsync(
        DbSession s, Guid accountId, string slug, string name, bool isDefault, string? publicKey, string? secretKey, CancellationToken ct)
    {
        var now = time.Now();
        var project = new ProjectRow
        {
            Id = ids.New(), AccountId = accountId, Slug = slug, Name = name, IsDefault = isDefault, SecurityMode = true,
            AllowedOrigins = "[]", CreatedAt = now, UpdatedAt = now,
        };
        await ProjectStore.InsertAsync(s, project, ct);
        publicKey ??= Credentials.NewPublicKey();
        secretKey ??= Credentials.NewSecretKey();
        await ProjectStore.InsertKeyAsync(s, Key(project.Id, "public", publicKey, now), ct);
        await ProjectStore.InsertKeyAsync(s, Key(project.Id, "secret", secretKey, now), ct);
        foreach (var channel in BuiltInChannels.All)
        {
            var config = ChannelConfigMerger.Merge(channel.Type, channel.Provider, null, default, providerChanged: false).Config!;
            await ChannelStore.InsertAsync(s, new ChannelRow
            {
                Id = ids.New(), ProjectId = project.Id, Handle = channel.Handle, Name = channel.Name, Type = channel.Type,
                Provider = channel.Provider, IsDefault = true, BuiltIn = true, Config = config.Public.ToJsonString(),
                Secrets = null, CreatedAt = now, UpdatedAt = now,
            }, ct);
        }
        return new CreatedProject(project.Id, publicKey, secretKey);
    }

    public static string SecretHint(string secretKey) => "sk_…" + secretKey[^4..];

    private ProjectKeyRow Key(Guid projectId, string kind, string value, DateTimeOffset now) => new()
    {
        Id = ids.New(), ProjectId = projectId, Kind = kind, PublicKey = kind == "public" ? value : null,
        KeyHash = Credentials.Hash(value), KeyHint = kind == "public" ? value : SecretHint(value), CreatedAt = now,
    };
}

public sealed record CreatedProject(Guid Id, string PublicKey, string SecretKey);
