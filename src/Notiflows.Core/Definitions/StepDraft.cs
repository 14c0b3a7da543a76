using System.Text.Json.Nodes;

namespace Notiflows.Core.Definitions;

/// <summary>A step as read from input, before structural validation; null members were missing or invalid.</summary>
internal sealed class StepDraft
{
    public required int Index { get; init; }

    public string? Handle { get; set; }

    public string? Type { get; set; }

    public int? Position { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    public string? ParentStepHandle { get; set; }

    public string? BranchHandle { get; set; }

    public string? ChannelType { get; set; }

    public string? ChannelHandle { get; set; }

    public Template? Template { get; set; }

    public bool TemplateOmitted { get; set; }

    public JsonObject Settings { get; set; } = [];

    public JsonArray Conditions { get; set; } = [];

    public JsonObject ProviderSettings { get; set; } = [];

    public IReadOnlyList<string> BranchHandles { get; set; } = [];

    public string Path => $"steps[{Index}]";

    public Step ToStep() => new(
        Handle!, Type!, Position ?? 0, Name, Description, ParentStepHandle, BranchHandle, ChannelType, ChannelHandle,
        Template, Settings, Conditions, ProviderSettings);
}
