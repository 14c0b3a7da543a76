namespace Notiflows.Storage.Database;

/// <summary>The two databases Notiflows runs on.</summary>
public enum DbKind
{
    Sqlite,
    Postgres,
}
