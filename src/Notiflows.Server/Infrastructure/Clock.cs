using Notiflows.Storage.Database;

namespace Notiflows.Server.Infrastructure;

public static class Clock
{
    /// <summary>The current time at the precision the database keeps (microseconds), so responses equal later reads.</summary>
    public static DateTimeOffset Now(this TimeProvider time) => Timestamps.Truncate(time.GetUtcNow());
}
