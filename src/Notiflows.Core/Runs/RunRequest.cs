using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Notiflows.Core.Common;
using Notiflows.Core.Users;

namespace Notiflows.Core.Runs;

/// <summary>A validated run request (§6.5): exactly one of recipients (distinct, merged in order) and topic.</summary>
public sealed record RunRequest(
    IReadOnlyList<UserInput>? Recipients, string? Topic, JsonObject Data, UserInput? Actor, string? CancellationKey, bool Draft);

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
        var recipients = ReadRecipients(r, errors);
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
        return errors.Count > before ? null : new RunRequest(recipients, topic.Value, data, actor, key.Value, draft);
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

    private static List<UserInput>? ReadRecipients(ObjectReader r, List<FieldError> errors)
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
        var merged = new List<UserInput>(count);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var i = 0;
        foreach (var item in raw.Value.EnumerateArray())
        {
            if (UserFields.Parse(item, $"recipients[{i}]", errors) is { } user)
            {
                if (index.TryGetValue(user.ExternalId, out var at))
                {
                    merged[at] = merged[at].Then(user);
                }
                else
                {
                    index[user.ExternalId] = merged.Count;
                    merged.Add(user);
                }
            }
            i++;
        }
        return merged;
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
