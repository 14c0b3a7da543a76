namespace Notiflows.Core.Channels;

/// <summary>A channel every new project is created with (§14.1); each is its type's default.</summary>
public sealed record BuiltInChannel(string Handle, string Name, string Type, string Provider);
