using Notiflows.Core.Common;

namespace Notiflows.Core.Definitions;

/// <summary>Outcome of publish validation (§9.6). Warnings never affect <see cref="Valid"/>.</summary>
public sealed record PublishReport(IReadOnlyList<FieldError> Errors, IReadOnlyList<FieldError> Warnings)
{
    public bool Valid => Errors.Count == 0;
}
