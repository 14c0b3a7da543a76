using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Api.Management;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Protocol;

/// <summary>
/// "No request, however malformed, gets a 500 or a response outside the envelope": hundreds of mutations of valid
/// bodies (every node replaced by values of every JSON type) sent to the write endpoints.
/// </summary>
public sealed class MalformedInputTests(SqliteFixture fixture) : ApiTests<SqliteFixture>(fixture)
{
    private static readonly JsonNode?[] Replacements =
    [
        null, true, 0, -1, 1.5, 1e308, "", "x", new string('y', 300), "{{ broken", new JsonArray(), new JsonArray(1, "a", null),
        new JsonObject(), new JsonObject { ["a"] = 1 }, "00000000-0000-7000-8000-000000000000", 4294967296, -0.0,
    ];

    private const string BranchesBody = """
        {"name": "Branches", "steps": [{"handle": "trigger", "type": "trigger", "position": 0},
          {"handle": "sms", "type": "channel", "channel_type": "sms", "position": 1, "template": {"data": {"body": "hi"}}},
          {"handle": "check", "type": "condition", "position": 2, "settings": {"branches": [
            {"handle": "vip", "conditions": [{"operator": "and", "conditions": [{"property": "data.plan", "operator": "equal_to", "value": "vip"}]}]},
            {"handle": "default", "conditions": []}]}},
          {"handle": "vip_wait", "type": "wait", "position": 0, "parent_step_handle": "check", "branch_handle": "vip",
           "settings": {"duration": 2, "unit": "hours"}},
          {"handle": "end", "type": "end", "position": 3}]}
        """;

    public static TheoryData<string, string> Bodies() => new()
    {
        { "notiflow", SeedFlowTests<SqliteFixture>.UpsertBody },
        { "notiflow", BranchesBody },
        { "template", """{"channel_type": "email", "data": {"subject": "s", "body": "b", "content_type": "html"}}""" },
        { "channel", """{"name": "Mail", "type": "email", "provider": "smtp", "config": {"host": "smtp.example.com", "port": 587, "from_email": "a@example.com", "password": "secret-secret"}, "default": true, "fallback_channel": null}""" },
        { "project", """{"slug": "fuzz", "name": "Fuzz", "default": false}""" },
        { "settings", """{"security_mode": false, "allowed_origins": ["https://app.example.com"]}""" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task MutatedBodies_NeverAnswer500OrOutsideTheEnvelope(string target, string body)
    {
        var project = await NewProjectAsync();
        (await Mgmt(HttpMethod.Put, $"{project.Base}/notiflows/fuzz", SeedFlowTests<SqliteFixture>.UpsertBody)).AssertStatus(201);
        var original = JsonNode.Parse(body)!;
        var random = new Random(1234);
        var paths = Paths(original).ToList();
        var statuses = new HashSet<int>();
        for (var i = 0; i < 250; i++)
        {
            var mutated = original.DeepClone();
            for (var m = 0; m < 1 + random.Next(3); m++)
            {
                Replace(mutated, paths[random.Next(paths.Count)], Replacements[random.Next(Replacements.Length)]?.DeepClone());
            }
            var (method, path) = target switch
            {
                "notiflow" => (HttpMethod.Put, $"{project.Base}/notiflows/fuzz"),
                "template" => (HttpMethod.Put, $"{project.Base}/notiflows/fuzz/steps/welcome_email/template"),
                "channel" => (HttpMethod.Put, $"{project.Base}/channels/fuzz-mail"),
                "project" => (HttpMethod.Post, "/management/v1/projects"),
                _ => (HttpMethod.Put, $"/management/v1/projects/{project.Slug}/settings"),
            };
            var response = await Mgmt(method, path, mutated?.ToJsonString() ?? "null");
            Assert.True(response.Status < 500, $"{response.Status} for {mutated?.ToJsonString()}: {response.Text}");
            statuses.Add(response.Status);
            if (response.Status >= 400)
            {
                response.AssertError(response.Status, (string)response.Body["error"]!["code"]!);
            }
        }
        // The mutations reach both the accepting and the refusing paths.
        Assert.Contains(statuses, s => s is >= 200 and < 300);
        Assert.Contains(statuses, s => s is 400 or 422);
    }

    private static IEnumerable<string> Paths(JsonNode? node, string prefix = "")
    {
        yield return prefix;
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    foreach (var p in Paths(value, prefix + "/" + key))
                    {
                        yield return p;
                    }
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    foreach (var p in Paths(a[i], prefix + "/" + i))
                    {
                        yield return p;
                    }
                }
                break;
        }
    }

    private static void Replace(JsonNode? root, string path, JsonNode? value)
    {
        if (path.Length == 0 || root is null)
        {
            return;
        }
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var parent = root;
        foreach (var segment in segments[..^1])
        {
            parent = parent is JsonArray a && int.TryParse(segment, out var i) && i < a.Count ? a[i]
                : parent is JsonObject o ? o[segment] : null;
            if (parent is null)
            {
                return;
            }
        }
        var last = segments[^1];
        if (parent is JsonObject obj)
        {
            obj[last] = value;
        }
        else if (parent is JsonArray arr && int.TryParse(last, out var index) && index < arr.Count)
        {
            arr[index] = value;
        }
    }
}
