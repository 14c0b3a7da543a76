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

    /// <summary>Folds a later mention of the same user into this one (duplicates in a run are "merged in order", §6.5).</summary>
    public UserInput Then(UserInput later) => new(
        ExternalId, Pick(Email, later.Email), Pick(Phone, later.Phone), Pick(FirstName, later.FirstName), Pick(LastName, later.LastName),
        Pick(Avatar, later.Avatar), Pick(Locale, later.Locale), Pick(Timezone, later.Timezone),
        later.CustomFields.IsPresent && CustomFields is { IsPresent: true, Value: not null } && later.CustomFields.Value is not null
            ? new(true, UserFields.DeepMerge((JsonObject)CustomFields.Value.DeepClone(), later.CustomFields.Value))
            : Pick(CustomFields, later.CustomFields));

    private static Optional<T> Pick<T>(Optional<T> earlier, Optional<T> later) => later.IsPresent ? later : earlier;
}
