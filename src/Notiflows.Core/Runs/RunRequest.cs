using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Notiflows.Core.Common;
using Notiflows.Core.Users;

namespace Notiflows.Core.Runs;

/// <summary>
/// A validated run request (§6.5): exactly one of recipients (distinct external ids, in order of first mention) and topic.
/// <see cref="Users"/> holds every mention of a user (recipients in request order, then the actor), to be upserted one after
/// the other: "duplicates are merged in order" then means exactly what the same upserts sent one by one would do, including
/// a <c>custom_fields: null</c> followed by new fields, which no single merged patch can express.
/// </summary>
public sealed record RunRequest(
    IReadOnlyList<string>? Recipients, string? Topic, JsonObject Data, string? Actor, string? CancellationKey, bool Draft,
    IReadOnlyList<UserInput> Users);

public static partial class RunRequestParser
{
    public const int MaxRecipients = 1000;

    [GeneratedRegex("^[A-Za-z0-9_.:-]+$")]
    private static partial Regex TopicPattern();

    /// <summary>Parses the body; <paramref name="management"/> allows <c>version</c> (§8.4.3). Returns null when <paramref name="errors"/> got entries.</summary>
    public static RunRequest? Parse(JsonElement body, bool management, List<FieldError> errors)
    {
        var before = errors.Count;
        var r = new ObjectReader(body, "", errors);
        var users = new List<UserInput>();
        var recipients = ReadRecipients(r, users, errors);
        var topic = r.String("topic");
        if (topic.Value is { } t)
        {
            CheckTopic(t, "topic", errors);
        }
        var hasRecipients = r.Has("recipients") && r.Raw("recipients").Value.ValueKind != JsonValueKind.Null;
        var hasTopic = topic.Value is not null;
        if (!hasRecipients && !hasTopic && errors.Count == before)
        {
            r.Add("recipients", "either recipients or topic is required", Reasons.Required);
        }
        else if (hasRecipients && hasTopic)
        {
            r.Add("topic", "cannot be combined with recipients", Reasons.NotAllowed);
        }
        var data = ReadData(r);
        UserInput? actor = null;
        if (r.Raw("actor") is { IsPresent: true } rawActor && rawActor.Value.ValueKind != JsonValueKind.Null)
        {
            actor = UserFields.Parse(rawActor.Value, "actor", errors);
            if (actor is not null)
            {
                users.Add(actor);
            }
        }
        var key = r.String("cancellation_key", 1, 255);
        var draft = false;
        var version = r.String("version");
        if (version.IsPresent && !management)
        {
            r.Add("version", "is only accepted by the Management API", Reasons.NotAllowed);
        }
        else if (version.Value is { } v)
        {
            if (v is not ("published" or "draft"))
            {
                r.Add("version", "must be published or draft", Reasons.Invalid);
            }
            draft = v == "draft";
        }
        return errors.Count > before ? null : new RunRequest(recipients, topic.Value, data, actor?.ExternalId, key.Value, draft, users);
    }

    public static bool CheckTopic(string topic, string field, List<FieldError> errors)
    {
        if (topic.Length is 0 or > 255 || topic is "." or ".." || !TopicPattern().IsMatch(topic))
        {
            errors.Add(new FieldError(field, "must be 1-255 characters of letters, digits, '_', '.', ':' and '-'", Reasons.Format));
            return false;
        }
        return true;
    }

    private static List<string>? ReadRecipients(ObjectReader r, List<UserInput> users, List<FieldError> errors)
    {
        var raw = r.Raw("recipients");
        if (!raw.IsPresent || raw.Value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (raw.Value.ValueKind != JsonValueKind.Array)
        {
            r.Add("recipients", "must be an array", Reasons.Invalid);
            return null;
        }
        var count = raw.Value.GetArrayLength();
        if (count == 0)
        {
            r.Add("recipients", "must have at least 1 recipient", Reasons.TooShort);
            return null;
        }
        if (count > MaxRecipients)
        {
            r.Add("recipients", $"must have at most {MaxRecipients} recipients", Reasons.TooMany);
            return null;
        }
        var distinct = new List<string>(count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var item in raw.Value.EnumerateArray())
        {
            if (UserFields.Parse(item, $"recipients[{i}]", errors) is { } user)
            {
                users.Add(user);
                if (seen.Add(user.ExternalId))
                {
                    distinct.Add(user.ExternalId);
                }
            }
            i++;
        }
        return distinct;
    }

    private static JsonObject ReadData(ObjectReader r)
    {
        var raw = r.Raw("data");
        if (!raw.IsPresent || raw.Value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (raw.Value.ValueKind != JsonValueKind.Object)
        {
            r.Add("data", "must be an object", Reasons.Invalid);
            return [];
        }
        return JsonNode.Parse(raw.Value.GetRawText())!.AsObject();
    }
}
