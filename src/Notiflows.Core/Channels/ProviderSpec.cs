using System.Text.Json.Nodes;
using Notiflows.Core.Common;

namespace Notiflows.Core.Channels;

/// <summary>
/// The configuration of one provider for one channel type (a row of §14.2). <c>Check</c> holds the rules that span
/// several fields; it runs on the merged config and yields full <c>config.*</c> errors.
/// </summary>
internal sealed record ProviderSpec(
    string Type,
    string Provider,
    IReadOnlyList<ConfigField> Fields,
    Func<JsonObject, IEnumerable<FieldError>>? Check = null)
{
    public ConfigField? Find(string name)
    {
        foreach (var field in Fields)
        {
            if (string.Equals(field.Name, name, StringComparison.Ordinal))
            {
                return field;
            }
        }

        return null;
    }
}
