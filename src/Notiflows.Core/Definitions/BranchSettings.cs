using System.Text.Json.Nodes;
using System.Text.Json;
using Notiflows.Core.Common;

namespace Notiflows.Core.Definitions;

/// <summary>Reads and normalises a condition step's <c>settings.branches</c> (§9.4).</summary>
internal static class BranchSettings
{
    private const int MinBranches = 2;
    private const int MaxBranches = 10;

    /// <summary>Returns the normalised settings and the valid branch handles (in array order).</summary>
    public static (JsonObject Settings, IReadOnlyList<string> Handles) Read(JsonElement? settings, string path, ErrorSink sink)
    {
        var branches = new JsonArray();
        var handles = new List<string>();
        var result = new JsonObject { ["branches"] = branches };
        var field = $"{path}.branches";
        if (settings is { ValueKind: not JsonValueKind.Object })
        {
            sink.Add(path, Reasons.Invalid, "must be an object");
            return (result, handles);
        }

        if (settings is not { } obj || JsonRead.Get(obj, "branches") is not { } array)
        {
            sink.Add(field, Reasons.Required, "is required");
            return (result, handles);
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            sink.Add(field, Reasons.Invalid, "must be an array of branches");
            return (result, handles);
        }

        var count = array.GetArrayLength();
        if (count < MinBranches)
        {
            sink.Add(field, Reasons.TooShort, $"must have at least {MinBranches} branches");
        }
        else if (count > MaxBranches)
        {
            sink.Add(field, Reasons.TooMany, $"must have at most {MaxBranches} branches");
        }

        var defaults = 0;
        var continuing = 0;
        var j = 0;
        foreach (var item in array.EnumerateArray())
        {
            var branch = ReadBranch(item, $"{field}[{j++}]", handles, sink);
            if (branch is null)
            {
                continue;
            }

            defaults += branch["conditions"]!.AsArray().Count == 0 ? 1 : 0;
            continuing += branch["finish"]!.GetValue<bool>() ? 0 : 1;
            branches.Add(branch);
        }

        if (defaults > 1)
        {
            sink.Add(field, Reasons.NotAllowed, "at most one branch may be a default branch (without conditions)");
        }

        if (count > 0 && continuing == 0 && branches.Count == count)
        {
            sink.Add(field, Reasons.Invalid, "at least one branch must have finish = false");
        }

        return (result, handles);
    }

    private static JsonObject? ReadBranch(JsonElement item, string path, List<string> handles, ErrorSink sink)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            sink.Add(path, Reasons.Invalid, "must be an object");
            return null;
        }

        var handle = JsonRead.RequiredString(item, "handle", $"{path}.handle", sink);
        if (handle is not null)
        {
            if (!Handles.IsBranchHandle(handle))
            {
                sink.Add($"{path}.handle", Reasons.Format, "must match ^[a-z0-9_-]+$ (1-64 characters)");
            }
            else if (handles.Contains(handle, StringComparer.Ordinal))
            {
                sink.Add($"{path}.handle", Reasons.Taken, "is already used by another branch of this step");
            }
            else
            {
                handles.Add(handle);
            }
        }

        var name = JsonRead.OptionalString(item, "name", $"{path}.name", sink, 255) ?? handle;
        var finish = false;
        if (JsonRead.Get(item, "finish") is { } flag)
        {
            if (flag.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                finish = flag.GetBoolean();
            }
            else
            {
                sink.Add($"{path}.finish", Reasons.Invalid, "must be a boolean");
            }
        }

        var conditions = ConditionsReader.Read(JsonRead.Get(item, "conditions"), $"{path}.conditions", sink);
        return new JsonObject { ["handle"] = handle, ["name"] = name, ["finish"] = finish, ["conditions"] = conditions };
    }
}
