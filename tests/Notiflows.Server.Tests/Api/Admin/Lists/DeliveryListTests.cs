using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Admin.Lists;

/// <summary><c>GET /deliveries</c>, <c>GET /deliveries/{id}</c> and the user's deliveries (§6.1, §6.8).</summary>
public abstract class DeliveryListTests<TFixture>(TFixture fixture) : ListTestBase<TFixture>(fixture) where TFixture : HostFixture
{
    private const string DeliveryFields = """
        id notification_id notiflow_id notiflow_run_id step_handle channel_id channel_type provider recipient_id actor_id status skip_reason
        data recipient_address provider_message_id topic error attempts next_attempt_at sent_at delivered_at seen_at read_at clicked_at
        archived_at created_at updated_at
        """;

    [Fact]
    public async Task ListDeliveries_EveryDocumentedField_NewestFirst_AsGetNotificationShowsThem()
    {
        var seeded = await SeedAsync();
        var p = seeded.Project;
        var body = (await Get(p, "/deliveries")).AssertStatus(200).Body;
        AssertFields(body["page"]!.AsObject(), PageFields);
        var items = body["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        Assert.Equal(5, items.Count); // hello: 1, mail: 2, topic: 2; the cancelled slow run delivered nothing
        Assert.All(items, i => AssertFields(i, DeliveryFields));
        AssertNewestFirst(items.Select(Id).ToList());
        var mail = items.Single(i => (string?)i["step_handle"] == "mail");
        Assert.Equal(("email", "bob@acme.com", seeded.MailRun), ((string?)mail["channel_type"], (string?)mail["recipient_address"], (string?)mail["notiflow_run_id"]));
        var inNotification = Deliveries(await Notification(p, (string)mail["notification_id"]!)).Single(d => Id(d) == Id(mail));
        Assert.Equal(inNotification.ToJsonString(), mail.ToJsonString());
        Assert.Equal(mail.ToJsonString(), (await Get(p, $"/deliveries/{Id(mail)}")).AssertStatus(200).Body.ToJsonString());
    }

    public static TheoryData<string, string> Filters => new()
    {
        { "status=sent", "status" },
        { "status=delivered", "status" },
        { "topic=news", "topic" },
        { "channel_type=email", "channel_type" },
        { "channel_type=in_app", "channel_type" },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task ListDeliveries_Filter_KeepsTheMatchingItems(string query, string field)
    {
        var p = (await SeedAsync()).Project;
        var all = await Items(p, "/deliveries");
        var value = query.Split('=')[1];
        var matching = all.Where(i => (string?)i[field] == value).Select(Id).ToList();
        Assert.NotEmpty(matching);
        Assert.True(matching.Count < all.Count);
        Assert.Equal(matching, await Ids(p, "/deliveries?" + query));
    }

    [Fact]
    public async Task ListDeliveries_ByIdsAndCreatedWindow()
    {
        var seeded = await SeedAsync();
        var p = seeded.Project;
        var all = await Items(p, "/deliveries");
        var email = (string)all.Single(i => (string?)i["channel_type"] == "email")["channel_id"]!;
        Assert.Equal(all.Where(i => (string?)i["channel_id"] == email).Select(Id), await Ids(p, $"/deliveries?channel_id={email}"));
        Assert.Equal(all.Where(i => (string?)i["notiflow_run_id"] == seeded.TopicRun).Select(Id), await Ids(p, $"/deliveries?notiflow_run_id={seeded.TopicRun}"));
        var mailFlow = await NotiflowIdAsync(p, Mail);
        Assert.Equal(2, (await Ids(p, $"/deliveries?notiflow={mailFlow}")).Count);
        Assert.Equal(await Ids(p, $"/deliveries?notiflow={mailFlow}"), await Ids(p, $"/deliveries?notiflow={Mail}"));
        Assert.Empty(await Ids(p, "/deliveries?notiflow=no-such-flow"));
        Assert.Empty(await Ids(p, $"/deliveries?channel_id={Guid.NewGuid()}"));

        // Exclusive bounds on created_at: the hello run's delivery came first, the topic run's two last.
        var helloCreated = Uri.EscapeDataString((string)all.Single(i => (string?)i["notiflow_run_id"] == seeded.HelloRun)["created_at"]!);
        var topicCreated = Uri.EscapeDataString((string)all.First(i => (string?)i["notiflow_run_id"] == seeded.TopicRun)["created_at"]!);
        Assert.Equal(all.Where(i => (string?)i["notiflow_run_id"] != seeded.HelloRun).Select(Id), await Ids(p, $"/deliveries?created_after={helloCreated}"));
        Assert.Equal(all.Where(i => (string?)i["notiflow_run_id"] != seeded.TopicRun).Select(Id), await Ids(p, $"/deliveries?created_before={topicCreated}"));
        Assert.Equal(all.Where(i => (string?)i["notiflow_run_id"] == seeded.MailRun).Select(Id),
            await Ids(p, $"/deliveries?created_after={helloCreated}&created_before={topicCreated}"));
        Assert.Equal(all.Where(i => (string?)i["topic"] == "news" && (string?)i["status"] == "sent").Select(Id), await Ids(p, "/deliveries?topic=news&status=sent"));
    }

    [Theory]
    [InlineData("status=processed", "status")]
    [InlineData("channel_type=pigeon", "channel_type")]
    [InlineData("channel_id=abc", "channel_id")]
    [InlineData("notiflow_run_id=abc", "notiflow_run_id")]
    [InlineData("created_after=2024-13-01T00:00:00Z", "created_after")]
    [InlineData("created_before=now", "created_before")]
    public async Task ListDeliveries_MalformedFilter_Is400(string query, string param)
    {
        var p = await NewProjectAsync();
        AssertBadParam(await Get(p, "/deliveries?" + query), param);
        AssertBadParam(await Get(p, "/users/alice/deliveries?" + query), param);
    }

    [Fact]
    public async Task GetDelivery_InvalidOrUnknownId()
    {
        var p = (await SeedAsync()).Project;
        AssertBadParam(await Get(p, "/deliveries/nope"), "id", "invalid_uuid");
        var unknown = Guid.NewGuid().ToString();
        AssertNotFound(await Get(p, $"/deliveries/{unknown}"), "delivery", unknown);
        var id = (await Ids(p, "/deliveries")).First();
        AssertNotFound(await Get(await NewProjectAsync(), $"/deliveries/{id}"), "delivery", id);
    }

    [Fact]
    public async Task UserDeliveries_TheUsersOwn_AndOneByIdOnlyForItsUser()
    {
        var p = (await SeedAsync()).Project;
        var all = await Items(p, "/deliveries");
        var bob = Id((await GetUser(p, "bob")).AssertStatus(200).Body);
        bool IsBob(System.Text.Json.Nodes.JsonObject d) => (string?)d["recipient_id"] == bob;
        var bobs = all.Where(IsBob).Select(Id).ToList();
        Assert.Equal(3, bobs.Count); // mail: in-app + email, topic: in-app
        Assert.Equal(bobs, await Ids(p, "/users/bob/deliveries"));
        Assert.Equal(all.Where(i => IsBob(i) && (string?)i["channel_type"] == "in_app").Select(Id), await Ids(p, "/users/bob/deliveries?channel_type=in_app"));
        AssertNotFound(await Get(p, "/users/nobody/deliveries"), "user", "nobody");

        var alices = await Ids(p, "/users/alice/deliveries");
        Assert.Equal(2, alices.Count);
        Assert.Equal(bobs[0], Id((await Get(p, $"/users/bob/deliveries/{bobs[0]}")).AssertStatus(200).Body));
        AssertNotFound(await Get(p, $"/users/alice/deliveries/{bobs[0]}"), "delivery", bobs[0]);
        AssertNotFound(await Get(p, $"/users/nobody/deliveries/{bobs[0]}"), "user", "nobody");
        var unknown = Guid.NewGuid().ToString();
        AssertNotFound(await Get(p, $"/users/bob/deliveries/{unknown}"), "delivery", unknown);
        AssertBadParam(await Get(p, "/users/bob/deliveries/nope"), "delivery_id", "invalid_uuid");
        AssertBadParam(await Get(p, "/users/nobody/deliveries/nope"), "delivery_id", "invalid_uuid");
    }
}

public sealed class SqliteDeliveryListTests(SqliteFixture fixture) : DeliveryListTests<SqliteFixture>(fixture);

public sealed class PostgresDeliveryListTests(PostgresFixture fixture) : DeliveryListTests<PostgresFixture>(fixture);
