using System.Text.Json.Nodes;
using Notiflows.Core.Definitions;

namespace Notiflows.Core.Engine;

/// <summary>
/// The execution order of a version's flat step list (§9.1, §9.4): scopes sorted by position, and for every step the
/// step that follows it — the next sibling, else (at the end of a branch) the step after the enclosing condition step,
/// or nothing when the branch finishes the notification. Built once per immutable version and cached.
/// </summary>
public sealed class StepGraph
{
    private readonly Dictionary<string, Step> _steps;
    private readonly Dictionary<string, string?> _next = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Condition, string Branch), string?> _branchEntry = [];

    private StepGraph(IReadOnlyList<Step> steps)
    {
        _steps = steps.ToDictionary(s => s.Handle, StringComparer.Ordinal);
        Trigger = steps.First(s => s.ParentStepHandle is null && s.Type == StepTypes.Trigger);
        var scopes = steps.GroupBy(s => (s.ParentStepHandle, s.BranchHandle))
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.Position).ToList());
        Link(scopes, (null, null), afterScope: null);
    }

    public Step Trigger { get; }

    public Step this[string handle] => _steps[handle];

    public static StepGraph Build(IReadOnlyList<Step> steps) => new(steps);

    /// <summary>The step after <paramref name="handle"/> completes normally; null when the notification is done.</summary>
    public string? NextAfter(string handle) => _next[handle];

    /// <summary>The first step of a branch, or where execution continues when the branch is empty.</summary>
    public string? EnterBranch(string condition, string branch) => _branchEntry[(condition, branch)];

    public static IReadOnlyList<Branch> Branches(Step condition) =>
        (condition.Settings["branches"] as JsonArray ?? []).Select(b => new Branch(
            (string)b!["handle"]!, b["finish"] is JsonValue f && f.GetValue<bool>(), b["conditions"] as JsonArray ?? [])).ToList();

    // Links every step of a scope to its successor; `afterScope` is where execution goes when the scope runs out.
    private void Link(Dictionary<(string?, string?), List<Step>> scopes, (string?, string?) scope, string? afterScope)
    {
        var steps = scopes.GetValueOrDefault(scope) ?? [];
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            var next = step.Type == StepTypes.End ? null : i + 1 < steps.Count ? steps[i + 1].Handle : afterScope;
            _next[step.Handle] = next;
            if (step.Type == StepTypes.Condition)
            {
                foreach (var branch in Branches(step))
                {
                    var continuation = branch.Finish ? null : next;
                    var children = scopes.GetValueOrDefault((step.Handle, branch.Handle));
                    _branchEntry[(step.Handle, branch.Handle)] = children is { Count: > 0 } ? children[0].Handle : continuation;
                    Link(scopes, (step.Handle, branch.Handle), continuation);
                }
            }
        }
    }
}

/// <summary>One branch of a condition step: empty conditions make it the default branch.</summary>
public sealed record Branch(string Handle, bool Finish, JsonArray Conditions)
{
    public bool IsDefault => Conditions.Count == 0;
}
