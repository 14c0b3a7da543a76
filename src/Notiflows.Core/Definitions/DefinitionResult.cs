using Notiflows.Core.Common;

namespace Notiflows.Core.Definitions;

/// <summary>Outcome of <see cref="DefinitionParser.ParseSteps"/>: when <see cref="Errors"/> is non-empty the steps may be partial.</summary>
public sealed record DefinitionResult(IReadOnlyList<Step> Steps, IReadOnlyList<FieldError> Errors);
