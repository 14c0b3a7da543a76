using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Api.User;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Realtime;

/// <summary>Helpers for realtime tests: a project with a user, its in-app channel and a notiflow that writes to its feed.</summary>
public abstract class RealtimeTests<TFixture>(TFixture fixture) : UserApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    protected const string Flow = "inbox";

    protected sealed record Feed(TestProject Project, string Key, string Pem, string ChannelId);

    /// <summary>A project with user "jane" (and her user key), the published notiflow <see cref="Flow"/> and the in-app channel id.</summary>
    protected async Task<Feed> FeedAsync(int inAppSteps = 1)
    {
        var (p, key, pem) = await UserProjectAsync();
        var steps = Enumerable.Range(1, inAppSteps).Select(i => InApp($"inbox{i}", i, "Hello {{ recipient.first_name }} #" + i)).ToList();
        await PublishAsync(p, Flow, Steps([Trigger, .. steps, End(inAppSteps + 1)]));
        var channels = (await Admin(p, HttpMethod.Get, "/admin/v1/channels?type=in_app")).AssertStatus(200).Body["items"]!.AsArray();
        return new Feed(p, key, pem, (string)channels[0]!["id"]!);
    }

    /// <summary>Runs <see cref="Flow"/> for <paramref name="recipient"/> and executes it; returns the in-app delivery ids (entry ids).</summary>
    protected async Task<List<string>> NotifyAsync(Feed feed, string recipient = "jane")
    {
        var runId = await RunAsync(feed.Project, Flow, "{\"recipients\": [\"" + recipient + "\"]}");
        await Host.DrainAsync();
        return Deliveries(await OnlyNotification(feed.Project, runId)).Select(d => (string)d["id"]!).ToList();
    }

    protected Task<SseClient> StreamAsync(Feed feed, string? userKey = null, string? lastEventId = null, string? path = null)
    {
        var headers = new Dictionary<string, string> { ["x-notiflows-api-key"] = feed.Project.PublicKey, ["x-notiflows-user-key"] = userKey ?? feed.Key };
        if (lastEventId is not null)
        {
            headers["Last-Event-ID"] = lastEventId;
        }
        return SseClient.OpenAsync(Host.CreateClient(), path ?? $"/user/v1/channels/{feed.ChannelId}/feed/stream", headers, Ct);
    }

    protected static void AssertCounts(JsonObject counts, long unread, long unseen, long total)
    {
        Assert.Equal(unread, (long)counts["total_unread"]!);
        Assert.Equal(unseen, (long)counts["total_unseen"]!);
        Assert.Equal(total, (long)counts["total_count"]!);
    }
}
