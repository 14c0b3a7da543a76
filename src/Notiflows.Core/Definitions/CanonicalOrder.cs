namespace Notiflows.Core.Definitions;

/// <summary>Depth-first execution order of §9.1: top level by position, each condition step followed by its branches' children.</summary>
internal static class CanonicalOrder
{
    public static List<StepDraft> Sort(IReadOnlyList<StepDraft> drafts)
    {
        var scopes = drafts
            .GroupBy(d => (d.ParentStepHandle ?? string.Empty, d.BranchHandle ?? string.Empty))
            .ToDictionary(g => g.Key, g => g.OrderBy(d => d.Position).ThenBy(d => d.Index).ToList());
        var result = new List<StepDraft>(drafts.Count);
        var emitted = new HashSet<StepDraft>();
        Visit((string.Empty, string.Empty));
        result.AddRange(drafts.Where(d => !emitted.Contains(d)));
        return result;

        void Visit((string Parent, string Branch) scope)
        {
            if (!scopes.TryGetValue(scope, out var children))
            {
                return;
            }

            foreach (var child in children.Where(emitted.Add))
            {
                result.Add(child);
                if (child.Type == StepTypes.Condition && child.Handle is not null)
                {
                    foreach (var branch in child.BranchHandles)
                    {
                        Visit((child.Handle, branch));
                    }
                }
            }
        }
    }
}
