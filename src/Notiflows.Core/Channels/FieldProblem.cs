using System.Text.Json.Nodes;

namespace Notiflows.Core.Channels;

/// <summary>What is wrong with one config value; <paramref name="SubPath"/> refines the field (e.g. a header name).</summary>
internal sealed record FieldProblem(string Message, string Reason, string? SubPath = null);

/// <summary>Checks one present, non-null config value; null when it is acceptable.</summary>
internal delegate FieldProblem? FieldRule(JsonNode value);
