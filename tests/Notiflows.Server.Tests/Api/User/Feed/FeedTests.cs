using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.User.Feed;

/// <summary>A project whose user "jane" has a user key, and the id of its in-app channel.</summary>
public sealed record TestFeed(TestProject Project, string Key, string ChannelId)
{
    public string Entries => $"/user/v1/channels/{ChannelId}/feed/entries";
}

/// <summary>Helpers for feed tests: entries come from running a notiflow with an in-app step through the Admin API.</summary>
public abstract class FeedTests<TFixture>(TFixture fixture) : UserApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    protected static readonly HttpMethod Get = HttpMethod.Get;
    protected static readonly HttpMethod Patch = HttpMethod.Patch;
    protected static readonly HttpMethod Post = HttpMethod.Post;

    /// <summary>A project with the user "jane" (and "bob"), a published notiflow "inbox" with one in-app step.</summary>
    protected async Task<TestFeed> FeedAsync()
    {
        var (p, key, _) = await UserProjectAsync();
        (await Admin(p, HttpMethod.Put, "/admin/v1/users/bob", """{"first_name": "Bob"}""")).AssertStatus(201);
        await PublishAsync(p, "inbox", Steps(Trigger, InApp("inbox", 1, "Hi {{ recipient.first_name }} #{{ data.n }}"), End(2)));
        var channels = (await AsUser(p, Get, "/user/v1/channels", key)).AssertStatus(200).Body["items"]!.AsArray();
        return new TestFeed(p, key, (string)channels.Single(c => (string?)c!["type"] == "in_app")!["id"]!);
    }

    /// <summary>Runs "inbox" for <paramref name="recipients"/> (JSON array items), executes it, then lets a second pass.</summary>
    protected async Task NotifyAsync(TestFeed f, int n = 0, string recipients = "\"jane\"", string extra = "")
    {
        await RunAsync(f.Project, "inbox", $$"""{"recipients": [{{recipients}}], "data": {"n": {{n}}}{{extra}}}""");
        await Host.DrainAsync();
        Host.Time.Advance(TimeSpan.FromSeconds(1));
    }

    /// <summary>Gives jane <paramref name="count"/> entries, #0 (oldest) to #count-1 (newest).</summary>
    protected async Task EntriesAsync(TestFeed f, int count)
    {
        for (var n = 0; n < count; n++)
        {
            await NotifyAsync(f, n);
        }
    }

    protected Task<ApiResponse> AsJane(TestFeed f, HttpMethod method, string path, string? body = null) =>
        AsUser(f.Project, method, path, f.Key, body: body);

    protected async Task<JsonObject> ListAsync(TestFeed f, string query = "") =>
        (await AsJane(f, Get, f.Entries + query)).AssertStatus(200).Body;

    protected static List<JsonObject> Items(JsonObject list) => list["items"]!.AsArray().Select(i => i!.AsObject()).ToList();

    /// <summary>The entry ids of a list page, in order (newest first).</summary>
    protected async Task<List<string>> IdsAsync(TestFeed f, string query = "") =>
        Items(await ListAsync(f, query)).Select(i => (string)i["id"]!).ToList();

    /// <summary>The #n of the entries of a list page, in order.</summary>
    protected async Task<List<int>> NumbersAsync(TestFeed f, string query = "") =>
        Items(await ListAsync(f, query)).Select(Number).ToList();

    protected static int Number(JsonObject entry) => int.Parse(((string)entry["data"]!["body"]!).Split('#')[1], System.Globalization.CultureInfo.InvariantCulture);

    protected static (long Count, long Unread, long Unseen) Totals(JsonObject list) =>
        ((long)list["total_count"]!, (long)list["total_unread"]!, (long)list["total_unseen"]!);

    /// <summary>A delivery as the Admin API shows it (to see that nothing changed behind the User API).</summary>
    protected async Task<JsonObject> DeliveryAsync(TestFeed f, string id) =>
        (await Admin(f.Project, Get, $"/admin/v1/deliveries/{id}")).AssertStatus(200).Body;

    /// <summary>Bob's only delivery id.</summary>
    protected async Task<string> BobsEntryAsync(TestFeed f)
    {
        await NotifyAsync(f, 99, "\"bob\"");
        var items = (await Admin(f.Project, Get, "/admin/v1/users/bob/deliveries")).AssertStatus(200).Body["items"]!.AsArray();
        return (string)Assert.Single(items)!["id"]!;
    }

    /// <summary>Another channel of the project (email): not a feed.</summary>
    protected async Task<string> EmailChannelAsync(TestFeed f)
    {
        var channels = (await AsJane(f, Get, "/user/v1/channels")).AssertStatus(200).Body["items"]!.AsArray();
        return (string)channels.First(c => (string?)c!["type"] == "email")!["id"]!;
    }
}
