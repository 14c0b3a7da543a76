using Notiflows.Core.Common;

namespace Notiflows.Core.Definitions;

/// <summary>Collects field errors while a body is read, so that all of them are reported together (§4.4).</summary>
internal sealed class ErrorSink
{
    private readonly List<FieldError> _errors = [];

    public IReadOnlyList<FieldError> Errors => _errors;

    public int Count => _errors.Count;

    public void Add(string field, string reason, string message) => _errors.Add(new FieldError(field, message, reason));
}
