namespace Notiflows.Server.Startup;

/// <summary>The server's environment (§16.2), read once from configuration (environment variables included).</summary>
public sealed record ServerSettings(
    string DataDir,
    string? DatabaseUrl,
    string? MasterKey,
    string? BootstrapAccountToken,
    string? BootstrapPublicKey,
    string? BootstrapSecretKey,
    long BodyLimit,
    long RunBodyLimit)
{
    public static ServerSettings From(IConfiguration config) => new(
        DataDir: Path.GetFullPath(NullIfEmpty(config["NOTIFLOWS_DATA_DIR"]) ?? "./data"),
        DatabaseUrl: NullIfEmpty(config["NOTIFLOWS_DATABASE_URL"]),
        MasterKey: NullIfEmpty(config["NOTIFLOWS_MASTER_KEY"]),
        BootstrapAccountToken: NullIfEmpty(config["NOTIFLOWS_BOOTSTRAP_ACCOUNT_TOKEN"]),
        BootstrapPublicKey: NullIfEmpty(config["NOTIFLOWS_BOOTSTRAP_PUBLIC_KEY"]),
        BootstrapSecretKey: NullIfEmpty(config["NOTIFLOWS_BOOTSTRAP_SECRET_KEY"]),
        BodyLimit: config.GetValue("Notiflows:Limits:BodyBytes", 1024L * 1024),
        RunBodyLimit: config.GetValue("Notiflows:Limits:RunBodyBytes", 512L * 1024));

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
