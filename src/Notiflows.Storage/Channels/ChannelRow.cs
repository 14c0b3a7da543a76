namespace Notiflows.Storage.Channels;

public sealed class ChannelRow
{
    public Guid Id { get; init; }
    public Guid ProjectId { get; init; }
    public string Handle { get; init; } = "";
    public string Name { get; set; } = "";
    public string Type { get; init; } = "";
    public string Provider { get; set; } = "";
    public bool IsDefault { get; set; }
    public bool BuiltIn { get; init; }
    /// <summary>Non-secret configuration, JSON.</summary>
    public string Config { get; set; } = "{}";
    /// <summary>Secret configuration: JSON encrypted with the master key, or null when there is none.</summary>
    public string? Secrets { get; set; }
    public string? FallbackChannel { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }
}
