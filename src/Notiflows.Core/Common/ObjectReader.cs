using System.Text.Json;

namespace Notiflows.Core.Common;

/// <summary>
/// Reads the known fields of a JSON object, collecting one <see cref="FieldError"/> per offending field
/// (with its JSON path) instead of stopping at the first. Unknown fields are simply never read.
/// </summary>
public sealed class ObjectReader(JsonElement obj, string prefix, List<FieldError> errors)
{
    public List<FieldError> Errors => errors;

    public bool Has(string name) => obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out _);

    public string PathOf(string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";

    public Optional<JsonElement> Raw(string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var value) ? new(true, value) : Optional<JsonElement>.Absent;

    public Optional<string> String(string name, int minLength = 0, int maxLength = int.MaxValue)
    {
        var raw = Raw(name);
        if (!raw.IsPresent || raw.Value.ValueKind == JsonValueKind.Null)
        {
            return raw.IsPresent ? new(true, null) : Optional<string>.Absent;
        }
        if (raw.Value.ValueKind != JsonValueKind.String)
        {
            return Fail<string>(name, "must be a string", Reasons.Invalid);
        }
        var value = raw.Value.GetString()!;
        if (value.Length < minLength)
        {
            return Fail<string>(name, value.Length == 0 ? "can't be blank" : $"must be at least {minLength} characters", Reasons.TooShort);
        }
        if (value.Length > maxLength)
        {
            return Fail<string>(name, $"must be at most {maxLength} characters", Reasons.TooLong);
        }
        return new(true, value);
    }

    public Optional<bool?> Bool(string name)
    {
        var raw = Raw(name);
        if (!raw.IsPresent || raw.Value.ValueKind == JsonValueKind.Null)
        {
            return raw.IsPresent ? new(true, null) : Optional<bool?>.Absent;
        }
        return raw.Value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? new(true, raw.Value.GetBoolean())
            : Fail<bool?>(name, "must be a boolean", Reasons.Invalid);
    }

    public Optional<long?> Integer(string name, long min = long.MinValue, long max = long.MaxValue)
    {
        var raw = Raw(name);
        if (!raw.IsPresent || raw.Value.ValueKind == JsonValueKind.Null)
        {
            return raw.IsPresent ? new(true, null) : Optional<long?>.Absent;
        }
        if (raw.Value.ValueKind != JsonValueKind.Number || !raw.Value.TryGetInt64(out var value))
        {
            return Fail<long?>(name, "must be an integer", Reasons.Invalid);
        }
        if (value < min)
        {
            return Fail<long?>(name, $"must be at least {min}", Reasons.TooShort);
        }
        return value > max ? Fail<long?>(name, $"must be at most {max}", Reasons.TooLong) : new(true, value);
    }

    public void Add(string name, string message, string reason) => errors.Add(new FieldError(PathOf(name), message, reason));

    private Optional<T> Fail<T>(string name, string message, string reason)
    {
        Add(name, message, reason);
        return Optional<T>.Absent;
    }
}
