namespace Notiflows.Server.Errors;

/// <summary>The body of every 4xx/5xx response (§4.4).</summary>
public sealed record ErrorEnvelope(ErrorBody Error);

public sealed record ErrorBody(string Type, string Code, string Message, int Status, string RequestId, IReadOnlyDictionary<string, object?> Details);
