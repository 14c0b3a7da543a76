using Notiflows.Core.Common;

namespace Notiflows.Core.Definitions;

/// <summary>Outcome of <see cref="DefinitionParser.ParseTemplate"/>: <see cref="Template"/> is null when there are errors.</summary>
public sealed record TemplateResult(Template? Template, IReadOnlyList<FieldError> Errors);
