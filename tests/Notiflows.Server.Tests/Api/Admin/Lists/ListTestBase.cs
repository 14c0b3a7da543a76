using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;
using Notiflows.Server.Tests.Runs;

namespace Notiflows.Server.Tests.Api.Admin.Lists;

/// <summary>
/// A project with some history to list, one minute apart: <c>alice</c> gets "hello" (in-app), <c>bob</c> gets "mail"
/// (in-app + email, which the sandbox marks delivered), the topic "news" (alice and bob) gets "hello", and alice gets "slow" (waits), whose run is cancelled.
/// </summary>
public abstract class ListTestBase<TFixture>(TFixture fixture) : RunTestBase<TFixture>(fixture) where TFixture : HostFixture
{
    protected const string Mail = "mail";

    protected sealed record Seeded(TestProject Project, string HelloRun, string MailRun, string TopicRun, string SlowRun);

    protected async Task<Seeded> SeedAsync()
    {
        var p = await ProjectWithFlowAsync();
        (await Mgmt(HttpMethod.Put, $"{p.Base}/channels/email-sandbox", """{"config": {"outcome": "delivered"}}""")).AssertStatus(200);
        await PublishAsync(p, Mail, Steps(Trigger, InApp("inbox", 1), EmailStep("mail", 2), End(3)));
        await PublishAsync(p, "slow", Steps(Trigger, Wait("pause", 1, 1), InApp("late", 2), End(3)));
        var hello = await RunAsync(p, Flow, """{"recipients": [{"external_id": "alice", "first_name": "Alice"}], "data": {"n": 1}}""");
        await NextMinuteAsync();
        var mail = await RunAsync(p, Mail, """{"recipients": [{"external_id": "bob", "email": "bob@acme.com"}], "data": {"n": 2}}""");
        await NextMinuteAsync();
        foreach (var user in new[] { "alice", "bob" })
        {
            (await Admin(p, HttpMethod.Post, $"/admin/v1/users/{user}/subscriptions", """{"topic_name": "news"}""")).AssertStatus(201);
        }
        var topic = await RunAsync(p, Flow, """{"topic": "news", "data": {"n": 3}}""");
        await NextMinuteAsync();
        var slow = await RunAsync(p, "slow", """{"recipients": ["alice"], "cancellation_key": "k"}""");
        await NextMinuteAsync();
        (await Admin(p, HttpMethod.Post, $"/admin/v1/runs/{slow}/cancel")).AssertStatus(200);
        return new Seeded(p, hello, mail, topic, slow);
    }

    /// <summary>Runs what is due, then moves the clock on a minute, so the next rows get a later <c>created_at</c>.</summary>
    protected async Task NextMinuteAsync()
    {
        await Host.DrainAsync();
        Host.Time.Advance(TimeSpan.FromMinutes(1));
    }

    protected Task<ApiResponse> Get(TestProject p, string path) => Admin(p, HttpMethod.Get, "/admin/v1" + path);

    /// <summary>The items of a 200 list response.</summary>
    protected async Task<List<JsonObject>> Items(TestProject p, string path) =>
        (await Get(p, path)).AssertStatus(200).Body["items"]!.AsArray().Select(i => i!.AsObject()).ToList();

    protected async Task<List<string>> Ids(TestProject p, string path) => (await Items(p, path)).Select(Id).ToList();

    protected static string Id(JsonNode? item) => (string)item!["id"]!;

    /// <summary>Asserts the list is newest first: ids strictly descending (UUIDv7 order).</summary>
    protected static void AssertNewestFirst(IReadOnlyList<string> ids) =>
        Assert.Equal(ids.OrderByDescending(i => i, StringComparer.Ordinal), ids);

    /// <summary>Asserts a 400 <c>bad_request</c> with this reason and parameter.</summary>
    protected static void AssertBadParam(ApiResponse response, string param, string reason = "invalid_param")
    {
        var details = response.AssertError(400, "bad_request")["details"]!;
        Assert.Equal(reason, (string?)details["reason"]);
        Assert.Equal(param, (string?)details["param"]);
    }

    /// <summary>Asserts a 404 naming the resource and the id as given.</summary>
    protected static void AssertNotFound(ApiResponse response, string resource, string id)
    {
        var details = response.AssertError(404, "not_found")["details"]!;
        Assert.Equal(resource, (string?)details["resource"]);
        Assert.Equal(id, (string?)details["id"]);
    }

    /// <summary>Asserts that the object has exactly these members.</summary>
    protected static void AssertFields(JsonObject item, string fields) =>
        Assert.Equal(fields.Split([' ', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal), item.Select(kv => kv.Key).Order(StringComparer.Ordinal));

    protected const string PageFields = "after before has_more_after has_more_before limit";

    private static string EmailStep(string handle, int position) =>
        "{\"handle\": \"" + handle + "\", \"type\": \"channel\", \"channel_type\": \"email\", \"position\": " + position
        + """, "template": {"data": {"subject": "Hi", "body": "<p>{{ data.n }}</p>", "content_type": "html"}}}""";
}
