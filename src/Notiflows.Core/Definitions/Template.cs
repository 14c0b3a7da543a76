using System.Text.Json.Nodes;

namespace Notiflows.Core.Definitions;

/// <summary>A channel step's template (§5.12); <see cref="Data"/> is normalised per §11.3.</summary>
public sealed record Template(Guid Id, string ChannelType, JsonObject Data);
