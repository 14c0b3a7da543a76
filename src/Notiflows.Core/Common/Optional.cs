namespace Notiflows.Core.Common;

/// <summary>A request field that may be absent, explicitly <c>null</c>, or set (partial-update semantics, §4.1).</summary>
public readonly record struct Optional<T>(bool IsPresent, T? Value)
{
    public static Optional<T> Absent => default;

    public bool IsNull => IsPresent && Value is null;

    public T? Or(T? fallback) => IsPresent ? Value : fallback;
}
