using System.Text.Json.Nodes;

namespace Notiflows.Core.Definitions;

/// <summary>One normalised step of a version (§5.11). Settings, conditions and provider settings are never null.</summary>
public sealed record Step(
    string Handle,
    string Type,
    int Position,
    string? Name,
    string? Description,
    string? ParentStepHandle,
    string? BranchHandle,
    string? ChannelType,
    string? ChannelHandle,
    Template? Template,
    JsonObject Settings,
    JsonArray Conditions,
    JsonObject ProviderSettings);
