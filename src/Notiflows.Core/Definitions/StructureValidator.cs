using Notiflows.Core.Common;

namespace Notiflows.Core.Definitions;

/// <summary>Cross-step rules of §9.1 / §9.5: handles, top-level trigger and end, scopes, positions, nesting.</summary>
internal static class StructureValidator
{
    private const int MaxConditionDepth = 5;

    public static void Validate(IReadOnlyList<StepDraft> drafts, ErrorSink sink)
    {
        var byHandle = IndexHandles(drafts, sink);
        ValidateTopLevel(drafts, sink);
        foreach (var draft in drafts)
        {
            ValidateParent(draft, byHandle, sink);
        }

        ValidatePositions(drafts, sink);
    }

    private static Dictionary<string, StepDraft> IndexHandles(IReadOnlyList<StepDraft> drafts, ErrorSink sink)
    {
        var byHandle = new Dictionary<string, StepDraft>(StringComparer.Ordinal);
        foreach (var draft in drafts)
        {
            if (draft.Handle is not null && !byHandle.TryAdd(draft.Handle, draft))
            {
                sink.Add($"{draft.Path}.handle", Reasons.Taken, "is already used by another step");
            }
        }

        return byHandle;
    }

    private static void ValidateTopLevel(IReadOnlyList<StepDraft> drafts, ErrorSink sink)
    {
        var top = drafts.Where(d => d.ParentStepHandle is null).ToList();
        var triggers = top.Where(d => d.Type == StepTypes.Trigger).ToList();
        var ends = top.Where(d => d.Type == StepTypes.End).ToList();
        switch (triggers.Count)
        {
            case 0:
                sink.Add("steps", Reasons.Required, "a top-level trigger step is required");
                break;
            case > 1:
                sink.Add("steps", Reasons.Invalid, "there must be exactly one top-level trigger step");
                break;
            default:
                if (triggers[0].Position is > 0)
                {
                    sink.Add("steps", Reasons.Invalid, "the trigger step must be at position 0");
                }

                break;
        }

        switch (ends.Count)
        {
            case 0:
                sink.Add("steps", Reasons.Required, "a top-level end step is required");
                break;
            case > 1:
                sink.Add("steps", Reasons.Invalid, "there must be exactly one top-level end step");
                break;
            default:
                if (ends[0].Position is { } end && top.Any(d => d != ends[0] && d.Position >= end))
                {
                    sink.Add("steps", Reasons.Invalid, "the end step must have the highest top-level position");
                }

                break;
        }

        if (drafts.Any(d => d.Type == StepTypes.Trigger && d.ParentStepHandle is not null))
        {
            sink.Add("steps", Reasons.Invalid, "a trigger step cannot be inside a branch");
        }
    }

    private static void ValidateParent(StepDraft draft, Dictionary<string, StepDraft> byHandle, ErrorSink sink)
    {
        var parentField = $"{draft.Path}.parent_step_handle";
        var branchField = $"{draft.Path}.branch_handle";
        switch (draft.ParentStepHandle, draft.BranchHandle)
        {
            case (null, null):
                return;
            case (null, _):
                sink.Add(parentField, Reasons.Invalid, "is required when branch_handle is set");
                return;
            case (_, null):
                sink.Add(branchField, Reasons.Invalid, "is required when parent_step_handle is set");
                return;
        }

        if (!byHandle.TryGetValue(draft.ParentStepHandle, out var parent) || parent.Type != StepTypes.Condition)
        {
            sink.Add(parentField, Reasons.Invalid, "must name a condition step of this notiflow");
            return;
        }

        if (!parent.BranchHandles.Contains(draft.BranchHandle, StringComparer.Ordinal))
        {
            sink.Add(branchField, Reasons.Invalid, $"is not a branch of step {parent.Handle}");
        }

        var depth = 0;
        var visited = new HashSet<StepDraft> { draft };
        for (var current = parent; current is not null; current = Parent(current, byHandle))
        {
            if (!visited.Add(current))
            {
                if (current == draft)
                {
                    sink.Add(parentField, Reasons.Invalid, "steps cannot be nested inside themselves");
                }

                return;
            }

            depth++;
        }

        if (draft.Type == StepTypes.Condition && depth >= MaxConditionDepth)
        {
            sink.Add(parentField, Reasons.TooMany, $"condition steps can be nested at most {MaxConditionDepth} levels deep");
        }
    }

    private static StepDraft? Parent(StepDraft draft, Dictionary<string, StepDraft> byHandle) =>
        draft.ParentStepHandle is { } handle && byHandle.TryGetValue(handle, out var parent) ? parent : null;

    private static void ValidatePositions(IReadOnlyList<StepDraft> drafts, ErrorSink sink)
    {
        foreach (var scope in drafts.Where(d => d.Position is not null).GroupBy(d => (d.ParentStepHandle, d.BranchHandle)))
        {
            var seen = new HashSet<int>();
            foreach (var draft in scope)
            {
                if (!seen.Add(draft.Position!.Value))
                {
                    sink.Add($"{draft.Path}.position", Reasons.Taken, "is already used by another step in the same scope");
                }
            }

            if (scope.Key.ParentStepHandle is null)
            {
                continue;
            }

            var last = scope.Max(d => d.Position!.Value);
            foreach (var end in scope.Where(d => d.Type == StepTypes.End && d.Position < last))
            {
                sink.Add($"{end.Path}.position", Reasons.Invalid, "an end step must be the last step of its branch");
            }
        }
    }
}
