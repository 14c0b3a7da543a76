using System.Globalization;
using System.Text.Json.Nodes;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Admin.Lists;

/// <summary><c>GET /notifications</c>, <c>GET /users/{user_id}/notifications</c>, <c>GET /notifications/{id}/deliveries</c> (§6.1, §6.7).</summary>
public abstract class NotificationListTests<TFixture>(TFixture fixture) : ListTestBase<TFixture>(fixture) where TFixture : HostFixture
{
    private const string SummaryFields = """
        id notiflow_id notiflow_handle notiflow_run_id version_id recipient_id recipient actor_id actor data topic status status_reason error
        digest_id digested_into_notification_id cancellation_key processed_at created_at updated_at
        """;

    [Fact]
    public async Task ListNotifications_ShowsEveryDocumentedField_WithoutDeliveriesOrSteps()
    {
        var seeded = await SeedAsync();
        var body = (await Get(seeded.Project, "/notifications")).AssertStatus(200).Body;
        AssertFields(body, "items page");
        AssertFields(body["page"]!.AsObject(), PageFields);
        var items = body["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        Assert.All(items, i => AssertFields(i, SummaryFields));
        var hello = items.Single(i => (string?)i["notiflow_run_id"] == seeded.HelloRun);
        Assert.Equal(Flow, (string?)hello["notiflow_handle"]);
        Assert.Equal("alice", (string?)hello["recipient"]!["external_id"]);
        Assert.Equal("processed", (string?)hello["status"]);
        Assert.Equal(1, (int)hello["data"]!["n"]!);
        var full = await Notification(seeded.Project, Id(hello));
        foreach (var (key, value) in hello)
        {
            Assert.True(JsonNode.DeepEquals(full[key], value), $"{key} differs from GET /notifications/{{id}}");
        }
        var slow = items.Single(i => (string?)i["notiflow_run_id"] == seeded.SlowRun);
        Assert.Equal(("cancelled", "cancelled_run", "k"), ((string?)slow["status"], (string?)slow["status_reason"], (string?)slow["cancellation_key"]));
    }

    [Fact]
    public async Task ListNotifications_NewestFirst_OnePerRecipientAndRun()
    {
        var seeded = await SeedAsync();
        var items = await Items(seeded.Project, "/notifications");
        Assert.Equal(5, items.Count);
        AssertNewestFirst(items.Select(Id).ToList());
        Assert.Equal([seeded.SlowRun, seeded.TopicRun, seeded.TopicRun, seeded.MailRun, seeded.HelloRun],
            items.Select(i => (string)i["notiflow_run_id"]!));
        Assert.Empty(await Items(await NewProjectAsync(), "/notifications"));
    }

    public static TheoryData<string, string> Filters => new()
    {
        { "status=cancelled", "status:cancelled" },
        { "status=processed", "status:processed" },
        { "topic=news", "topic:news" },
        { "notiflow=mail", "notiflow_handle:mail" },
        { "recipient=bob", "recipient.external_id:bob" },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task ListNotifications_Filter_KeepsTheMatchingItems(string query, string expected)
    {
        var seeded = await SeedAsync();
        var all = await Items(seeded.Project, "/notifications");
        var (path, value) = (expected.Split(':')[0], expected.Split(':')[1]);
        var matching = all.Where(i => (string?)(path.Contains('.') ? i[path.Split('.')[0]]![path.Split('.')[1]] : i[path]) == value).Select(Id).ToList();
        Assert.NotEmpty(matching);
        Assert.True(matching.Count < all.Count);
        Assert.Equal(matching, await Ids(seeded.Project, "/notifications?" + query));
    }

    [Fact]
    public async Task ListNotifications_ByIdsAndCreatedWindow()
    {
        var seeded = await SeedAsync();
        var p = seeded.Project;
        var all = await Items(p, "/notifications");
        var notiflowId = await NotiflowIdAsync(p, Mail);
        Assert.Equal(all.Where(i => (string?)i["notiflow_id"] == notiflowId).Select(Id), await Ids(p, $"/notifications?notiflow={notiflowId}"));
        Assert.Equal(all.Where(i => (string?)i["notiflow_run_id"] == seeded.TopicRun).Select(Id), await Ids(p, $"/notifications?notiflow_run_id={seeded.TopicRun}"));
        Assert.Equal(2, (await Ids(p, $"/notifications?notiflow_run_id={seeded.TopicRun}")).Count);

        // Exclusive bounds: created_after the mail run's notification leaves the topic run's and the slow one's.
        var mailCreated = (string)all.Single(i => (string?)i["notiflow_run_id"] == seeded.MailRun)["created_at"]!;
        var escaped = Uri.EscapeDataString(mailCreated);
        Assert.Equal(all.Take(3).Select(Id), await Ids(p, $"/notifications?created_after={escaped}"));
        Assert.Equal(all.Skip(4).Select(Id), await Ids(p, $"/notifications?created_before={escaped}"));
        Assert.Empty(await Ids(p, $"/notifications?created_after={escaped}&created_before={escaped}"));
        // Both bounds: a second before the mail run's notification up to the topic run's leaves the mail run's alone.
        var justBefore = Uri.EscapeDataString(DateTimeOffset.Parse(mailCreated, CultureInfo.InvariantCulture).AddSeconds(-1)
            .ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture));
        var topicCreated = Uri.EscapeDataString((string)all[2]["created_at"]!);
        Assert.Equal(all.Skip(3).Take(1).Select(Id), await Ids(p, $"/notifications?created_after={justBefore}&created_before={topicCreated}"));
        // Filters combine with AND.
        Assert.Equal(all.Where(i => (string?)i["topic"] == "news" && (string?)i["recipient"]!["external_id"] == "bob").Select(Id),
            await Ids(p, "/notifications?topic=news&recipient=bob"));
    }

    [Fact]
    public async Task ListNotifications_UnknownNotiflowOrRecipient_IsAnEmptyList()
    {
        var p = (await SeedAsync()).Project;
        Assert.Empty(await Ids(p, "/notifications?notiflow=no-such-flow"));
        Assert.Empty(await Ids(p, $"/notifications?notiflow={Guid.NewGuid()}"));
        Assert.Empty(await Ids(p, "/notifications?recipient=nobody"));
        Assert.Empty(await Ids(p, $"/notifications?notiflow_run_id={Guid.NewGuid()}"));
    }

    [Theory]
    [InlineData("status=done", "status")]
    [InlineData("status=sent", "status")]
    [InlineData("notiflow_run_id=not-a-uuid", "notiflow_run_id")]
    [InlineData("created_after=yesterday", "created_after")]
    [InlineData("created_before=2024-01-01", "created_before")]
    public async Task ListNotifications_MalformedFilter_Is400(string query, string param)
    {
        var p = await NewProjectAsync();
        AssertBadParam(await Get(p, "/notifications?" + query), param);
        AssertBadParam(await Get(p, "/users/alice/notifications?" + query), param);
    }

    [Fact]
    public async Task ListUserNotifications_TheUsersOwn_WithTheSameFilters()
    {
        var seeded = await SeedAsync();
        var p = seeded.Project;
        Assert.Equal(await Ids(p, "/notifications?recipient=alice"), await Ids(p, "/users/alice/notifications"));
        Assert.Equal(3, (await Ids(p, "/users/alice/notifications")).Count);
        Assert.Equal(await Ids(p, "/notifications?recipient=alice&status=processed"), await Ids(p, "/users/alice/notifications?status=processed"));
        Assert.Equal(await Ids(p, "/users/alice/notifications"), await Ids(p, "/users/alice/notifications?recipient=alice"));
        Assert.Empty(await Ids(p, "/users/alice/notifications?recipient=bob"));
        Assert.All(await Items(p, "/users/bob/notifications?topic=news"), i => Assert.Equal("bob", (string?)i["recipient"]!["external_id"]));
        AssertNotFound(await Get(p, "/users/nobody/notifications"), "user", "nobody");
        AssertNotFound(await Get(await NewProjectAsync(), "/users/alice/notifications"), "user", "alice");
    }

    [Fact]
    public async Task ListNotificationDeliveries_TheNotificationsOwn()
    {
        var seeded = await SeedAsync();
        var p = seeded.Project;
        var mail = (await Items(p, $"/notifications?notiflow_run_id={seeded.MailRun}")).Single();
        var deliveries = await Items(p, $"/notifications/{Id(mail)}/deliveries");
        Assert.Equal(["mail", "inbox"], deliveries.Select(d => (string)d["step_handle"]!));
        AssertNewestFirst(deliveries.Select(Id).ToList());
        Assert.Equal(Deliveries(await Notification(p, Id(mail))).Select(Id).Reverse(), deliveries.Select(Id));
        Assert.Equal(["inbox"], (await Items(p, $"/notifications/{Id(mail)}/deliveries?channel_type=in_app")).Select(d => (string)d["step_handle"]!));
        Assert.Empty(await Ids(p, $"/notifications/{Id(mail)}/deliveries?notiflow={Flow}"));

        AssertBadParam(await Get(p, "/notifications/nope/deliveries"), "notification_id", "invalid_uuid");
        var unknown = Guid.NewGuid().ToString();
        AssertNotFound(await Get(p, $"/notifications/{unknown}/deliveries"), "notification", unknown);
        AssertNotFound(await Get(await NewProjectAsync(), $"/notifications/{Id(mail)}/deliveries"), "notification", Id(mail));
        AssertBadParam(await Get(p, $"/notifications/{Id(mail)}/deliveries?status=processed"), "status");
    }

    [Fact]
    public async Task GetNotification_InvalidOrUnknownId()
    {
        var p = await NewProjectAsync();
        AssertBadParam(await Get(p, "/notifications/nope"), "id", "invalid_uuid");
        var unknown = Guid.NewGuid().ToString();
        AssertNotFound(await Get(p, $"/notifications/{unknown}"), "notification", unknown);
    }
}

public sealed class SqliteNotificationListTests(SqliteFixture fixture) : NotificationListTests<SqliteFixture>(fixture);

public sealed class PostgresNotificationListTests(PostgresFixture fixture) : NotificationListTests<PostgresFixture>(fixture);
