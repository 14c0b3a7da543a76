namespace Notiflows.Storage.Database;

/// <summary>Timestamps are stored as microseconds since the Unix epoch in both databases.</summary>
public static class Timestamps
{
    public static long ToMicros(DateTimeOffset value) => (value.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);

    /// <summary>Truncates to the stored precision, so a value read back equals the value written.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset value) => FromMicros(ToMicros(value));
}
