using System.Text.Json;
using Notiflows.Core.Secrets;
using Notiflows.Server.Api.Management.Projects;
using Notiflows.Server.Infrastructure;
using Notiflows.Storage.Accounts;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Startup;

/// <summary>
/// First start against an empty database (§16.1): one account, its <c>default</c> project with the built-in
/// channels and a key pair, and an account token — printed once and written to <c>bootstrap.json</c> (0600).
/// </summary>
public sealed partial class Bootstrapper(ServerSettings settings, IdGenerator ids, TimeProvider time, ProjectCreator projects, ILogger<Bootstrapper> logger)
{
    /// <summary>Refuses to start when a bootstrap variable is set but malformed (checked whether or not bootstrap runs).</summary>
    public void ValidateVariables()
    {
        Check("NOTIFLOWS_BOOTSTRAP_ACCOUNT_TOKEN", settings.BootstrapAccountToken, "nf_at_");
        Check("NOTIFLOWS_BOOTSTRAP_PUBLIC_KEY", settings.BootstrapPublicKey, "pk_");
        Check("NOTIFLOWS_BOOTSTRAP_SECRET_KEY", settings.BootstrapSecretKey, "sk_");
    }

    public async Task<BootstrapResult?> RunAsync(DbSession s, CancellationToken ct)
    {
        if (await AccountStore.AnyAsync(s, ct))
        {
            if (settings.BootstrapAccountToken is not null || settings.BootstrapPublicKey is not null || settings.BootstrapSecretKey is not null)
            {
                LogIgnored(logger);
            }
            return null;
        }
        var now = time.Now();
        var account = new AccountRow { Id = ids.New(), Name = "Default", CreatedAt = now };
        await AccountStore.InsertAsync(s, account, ct);
        var token = settings.BootstrapAccountToken ?? Credentials.NewAccountToken();
        await AccountStore.InsertTokenAsync(s, new AccountTokenRow
        {
            Id = ids.New(), AccountId = account.Id, Name = "bootstrap", TokenHash = Credentials.Hash(token),
            TokenHint = TokenHint(token), CreatedAt = now,
        }, ct);
        var project = await projects.CreateAsync(
            s, account.Id, "default", "Default", isDefault: true, settings.BootstrapPublicKey, settings.BootstrapSecretKey, ct);
        return new BootstrapResult(account.Id, new BootstrapProject(project.Id, "default"), token, project.PublicKey, project.SecretKey, now);
    }

    /// <summary>Prints the credentials once and writes them to the data directory; called after the transaction commits.</summary>
    public void Publish(BootstrapResult result)
    {
        var json = JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonDefaults.Options) { WriteIndented = true });
        FileModes.WritePrivate(Path.Combine(settings.DataDir, "bootstrap.json"), json + "\n");
        Console.Out.WriteLine($"""

            ==================== Notiflows bootstrap credentials (shown once) ====================
            Account token (Management API):  {result.AccountToken}
            Public key  (x-notiflows-api-key):    {result.PublicKey}
            Secret key  (x-notiflows-secret-key): {result.SecretKey}
            Also written to {Path.Combine(settings.DataDir, "bootstrap.json")} (mode 0600).
            ======================================================================================

            """);
        Console.Out.Flush();
    }

    public static string TokenHint(string token) => "nf_at_" + token["nf_at_".Length..][..4] + "…";

    private static void Check(string variable, string? value, string prefix)
    {
        if (value is not null && !Credentials.IsWellFormed(value, prefix))
        {
            throw new StartupRefusedException(
                $"{variable} must be '{prefix}' followed by at least 16 characters of [A-Za-z0-9_]; refusing to start.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "NOTIFLOWS_BOOTSTRAP_* variables are set but the database is not empty; they are ignored")]
    private static partial void LogIgnored(ILogger logger);
}

public sealed record BootstrapResult(
    Guid AccountId, BootstrapProject Project, string AccountToken, string PublicKey, string SecretKey, DateTimeOffset CreatedAt);

public sealed record BootstrapProject(Guid Id, string Slug);
