namespace Notiflows.Core.Common;

/// <summary>One offending field of a request, reported in a 422 envelope's <c>details.fields</c>.</summary>
/// <param name="Field">JSON path such as <c>steps[2].settings.duration</c>.</param>
/// <param name="Message">Human-readable explanation.</param>
/// <param name="Reason">One of <see cref="Reasons"/>.</param>
public sealed record FieldError(string Field, string Message, string Reason);

/// <summary>The validation reasons of the spec (§4.4).</summary>
public static class Reasons
{
    public const string Required = "required";
    public const string Invalid = "invalid";
    public const string TooLong = "too_long";
    public const string TooShort = "too_short";
    public const string NotAllowed = "not_allowed";
    public const string Format = "format";
    public const string Taken = "taken";
    public const string TooMany = "too_many";
}
