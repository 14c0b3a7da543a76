using Notiflows.Core.Secrets;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Startup;

/// <summary>Holds the master key (§16.3) once start-up has resolved it.</summary>
public sealed class MasterKey
{
    private SecretBox? _box;

    public SecretBox Box => _box ?? throw new InvalidOperationException("The master key is not loaded yet.");

    /// <summary>
    /// The key from <c>NOTIFLOWS_MASTER_KEY</c>; with SQLite and no variable, the key file in the data directory
    /// (generated on first start, mode 0600). With PostgreSQL the variable is required.
    /// </summary>
    public void Load(ServerSettings settings, DbKind kind)
    {
        if (settings.MasterKey is not null)
        {
            _box = new SecretBox(Parse(settings.MasterKey, "NOTIFLOWS_MASTER_KEY"));
            return;
        }
        if (kind == DbKind.Postgres)
        {
            throw new StartupRefusedException(
                "NOTIFLOWS_MASTER_KEY must be set when NOTIFLOWS_DATABASE_URL points to PostgreSQL, with the same value on every node. " +
                $"A freshly generated key you can use: NOTIFLOWS_MASTER_KEY={SecretBox.GenerateMasterKey()}");
        }
        var path = Path.Combine(settings.DataDir, "master.key");
        if (!File.Exists(path))
        {
            FileModes.WritePrivate(path, SecretBox.GenerateMasterKey());
        }
        _box = new SecretBox(Parse(File.ReadAllText(path).Trim(), path));
    }

    private static byte[] Parse(string value, string source)
    {
        try
        {
            return SecretBox.ParseMasterKey(value);
        }
        catch (FormatException ex)
        {
            throw new StartupRefusedException($"{source}: {ex.Message}");
        }
    }
}
