using System.Text.Json.Nodes;
using Notiflows.Core.Common;

namespace Notiflows.Core.Users;

/// <summary>
/// A user as a request describes it (§5.1): the external id plus the attributes it supplies. Absent attributes stay as
/// they are, explicit nulls clear them, and <see cref="CustomFields"/> is deep-merged into the stored object.
/// </summary>
public sealed record UserInput(
    string ExternalId,
    Optional<string> Email,
    Optional<string> Phone,
    Optional<string> FirstName,
    Optional<string> LastName,
    Optional<string> Avatar,
    Optional<string> Locale,
    Optional<string> Timezone,
    Optional<JsonObject> CustomFields)
{
    public static UserInput Id(string externalId) => new(externalId, default, default, default, default, default, default, default, default);
}
