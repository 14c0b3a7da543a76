using Notiflows.Server.Tests.Infrastructure;
using Notiflows.Storage.Jobs;

namespace Notiflows.Server.Tests.Engine;

/// <summary>Runs (§12.1, §13.3), pinned versions (§5.10), cancellation (§12.8) and exactly-once execution (§12.2).</summary>
public abstract class RunLifecycleTests<TFixture>(TFixture fixture) : EngineTests<TFixture>(fixture) where TFixture : HostFixture
{
    private static readonly string Waiting = Steps(Trigger, InApp("inbox", 1), Wait("pause", 2, 1), InApp("after", 3), End(4));

    [Fact]
    public async Task RecipientRun_ThreeRecipients_ThreeNotifications_RuningThenCompleted()
    {
        var project = await PublishAsync(await NewProjectAsync(), "three", Waiting);
        var runId = await RunAsync(project, "three", """{"recipients": ["a", {"external_id": "b"}, "c", "a"]}""");
        var pending = await RunView(project, runId);
        Assert.Equal("pending", (string?)pending["status"]);
        await Host.DrainAsync();
        var run = await RunView(project, runId);
        Assert.Equal("running", (string?)run["status"]);
        Assert.Equal(3, (int)run["recipient_count"]!);
        Assert.Equal(3, (int)run["notification_counts"]!["total"]!);
        Assert.Equal(3, (int)run["notification_counts"]!["processing"]!);
        Assert.Equal("completed", (string?)run["fan_out"]!["status"]);
        Assert.NotNull(run["started_at"]);
        Assert.Null(run["completed_at"]);
        var notifications = await Notifications(project, runId);
        Assert.Equal(["a", "b", "c"], notifications.Select(n => (string)n["recipient"]!["external_id"]!).Order(StringComparer.Ordinal).ToList());
        Host.Time.Advance(TimeSpan.FromDays(1));
        await Host.DrainAsync();
        run = await RunView(project, runId);
        Assert.Equal("completed", (string?)run["status"]);
        Assert.Equal(3, (int)run["notification_counts"]!["processed"]!);
        Assert.Equal(0, (int)run["notification_counts"]!["processing"]!);
        Assert.NotNull(run["completed_at"]);
    }

    private async Task UserAsync(TestProject project, string id, string? topic = null)
    {
        (await Admin(project, HttpMethod.Put, $"/admin/v1/users/{id}", """{"first_name": "T"}""")).AssertStatus(201);
        if (topic is not null)
        {
            await SubscribeAsync(project, id, topic);
        }
    }

    private async Task SubscribeAsync(TestProject project, string id, string topic) =>
        Assert.InRange((await Admin(project, HttpMethod.Post, $"/admin/v1/users/{id}/subscriptions", $$"""{"topic_name": "{{topic}}"}""")).Status,
            200, 201);

    [Fact]
    public async Task TopicRun_OneNotificationPerSubscriberAtAcceptance()
    {
        var project = await PublishAsync(await NewProjectAsync(), "news", Steps(Trigger, InApp("inbox", 1, "{{ run.topic }}"), End(2)));
        await UserAsync(project, "s1", "weekly");
        await UserAsync(project, "s2", "weekly");
        await UserAsync(project, "other", "daily");
        await UserAsync(project, "late");
        var runId = await RunAsync(project, "news", """{"topic": "weekly", "data": {"n": 1}}""");
        // Subscribed after the run was accepted (at the same instant of the clock): not a recipient of this run.
        await SubscribeAsync(project, "late", "weekly");
        await Host.DrainAsync();
        var notifications = await Notifications(project, runId);
        Assert.Equal(["s1", "s2"], notifications.Select(n => (string)n["recipient"]!["external_id"]!).Order(StringComparer.Ordinal).ToList());
        Assert.All(notifications, n => Assert.Equal("weekly", (string?)n["topic"]));
        var one = await Notification(project, (string)notifications[0]["id"]!);
        Assert.Equal("weekly", (string?)Delivery(one, "inbox")["data"]!["body"]);
        Assert.Equal("weekly", (string?)Delivery(one, "inbox")["topic"]);
        var run = await RunView(project, runId);
        Assert.Equal("completed", (string?)run["status"]);
        Assert.Equal("weekly", (string?)run["topic"]);
        Assert.Equal(2, (int)run["recipient_count"]!);
        Assert.Equal(2, (int)run["fan_out"]!["total"]!);

        var next = await RunAsync(project, "news", """{"topic": "weekly"}""");
        await Host.DrainAsync();
        Assert.Equal(3, (await Notifications(project, next)).Count);
    }

    [Fact]
    public async Task TopicRun_EmptyOrUnknownTopic_CompletesWithZeroNotifications()
    {
        var project = await PublishAsync(await NewProjectAsync(), "news", Steps(Trigger, InApp("inbox", 1), End(2)));
        var runId = await RunAsync(project, "news", """{"topic": "nobody-here"}""");
        await Host.DrainAsync();
        var run = await RunView(project, runId);
        Assert.Equal("completed", (string?)run["status"]);
        Assert.Equal(0, (int)run["notification_counts"]!["total"]!);
        Assert.Equal(0, (int)run["recipient_count"]!);
        Assert.NotNull(run["completed_at"]);
        Assert.Empty(await Notifications(project, runId));
    }

    [Fact]
    public async Task Version_ARunKeepsItsPinnedVersion_WhenANewOneIsPublishedWhileItWaits()
    {
        var project = await PublishAsync(await NewProjectAsync(), "pinned", Steps(Trigger, Wait("pause", 1, 1), InApp("old_msg", 2), End(3)));
        var oldRun = await RunAsync(project, "pinned", """{"recipients": ["u1"]}""");
        await Host.DrainAsync();
        await RepublishAsync(project, "pinned", Steps(Trigger, Wait("pause", 1, 1), InApp("new_msg", 2), InApp("extra", 3), End(4)));
        var newRun = await RunAsync(project, "pinned", """{"recipients": ["u1"]}""");
        await Host.DrainAsync();
        Host.Time.Advance(TimeSpan.FromDays(1));
        await Host.DrainAsync();
        var old = await OnlyNotification(project, oldRun);
        Assert.Equal("processed", (string?)old["status"]);
        Assert.Equal(["old_msg"], DeliveredSteps(old));
        Assert.Equal(1, (int)(await RunView(project, oldRun))["version_number"]!);
        var current = await OnlyNotification(project, newRun);
        Assert.Equal(["new_msg", "extra"], DeliveredSteps(current));
        Assert.Equal(2, (int)(await RunView(project, newRun))["version_number"]!);
    }

    [Fact]
    public async Task Version_DraftRun_ExecutesTheDraft()
    {
        var project = await PublishAsync(await NewProjectAsync(), "drafty", Steps(Trigger, InApp("published_msg", 1), End(2)));
        (await Mgmt(HttpMethod.Put, $"{project.Base}/notiflows/drafty", $$"""{"steps": {{Steps(Trigger, InApp("draft_msg", 1), End(2))}}}"""))
            .AssertStatus(200);
        var draftRun = (string)(await Mgmt(HttpMethod.Post, $"{project.Base}/notiflows/drafty/run",
            """{"version": "draft", "recipients": ["u1"]}""")).AssertStatus(202).Body["notiflow_run_id"]!;
        var publishedRun = (string)(await Mgmt(HttpMethod.Post, $"{project.Base}/notiflows/drafty/run",
            """{"recipients": ["u1"]}""")).AssertStatus(202).Body["notiflow_run_id"]!;
        await Host.DrainAsync();
        Assert.Equal(["draft_msg"], DeliveredSteps(await OnlyNotification(project, draftRun)));
        Assert.True((bool)(await RunView(project, draftRun))["draft"]!);
        Assert.Equal(["published_msg"], DeliveredSteps(await OnlyNotification(project, publishedRun)));
        Assert.False((bool)(await RunView(project, publishedRun))["draft"]!);
    }

    [Fact]
    public async Task CancelRun_WhileNotificationsWait_CancelsThemForGood_SecondCancelIs409()
    {
        var project = await PublishAsync(await NewProjectAsync(), "stoppable", Waiting);
        var runId = await RunAsync(project, "stoppable", """{"recipients": ["u1", "u2"]}""");
        await Host.DrainAsync();
        var cancelled = (await Admin(project, HttpMethod.Post, $"/admin/v1/runs/{runId}/cancel")).AssertStatus(200).Body;
        Assert.Equal("cancelled", (string?)cancelled["status"]);
        Assert.NotNull(cancelled["cancel_requested_at"]);
        Assert.NotNull(cancelled["completed_at"]);
        Assert.Equal(2, (int)cancelled["notification_counts"]!["cancelled"]!);
        Host.Time.Advance(TimeSpan.FromDays(2));
        await Host.DrainAsync();
        foreach (var summary in await Notifications(project, runId))
        {
            var n = await Notification(project, (string)summary["id"]!);
            Assert.Equal("cancelled", (string?)n["status"]);
            Assert.Equal("cancelled_run", (string?)n["status_reason"]);
            Assert.Null(n["processed_at"]);
            Assert.Equal(["inbox"], DeliveredSteps(n));
            Assert.Equal(("pause", "waiting"), Trail(n)[^1]);
        }
        Assert.Equal("cancelled", (string?)(await RunView(project, runId))["status"]);
        var again = (await Admin(project, HttpMethod.Post, $"/admin/v1/runs/{runId}/cancel")).AssertError(409, "conflict");
        Assert.Equal("cancelled", (string?)again["details"]!["current_status"]);
    }

    [Fact]
    public async Task CancelRun_BeforeItStarted_CreatesNoNotifications()
    {
        var project = await PublishAsync(await NewProjectAsync(), "stoppable", Waiting);
        var runId = await RunAsync(project, "stoppable", """{"recipients": ["u1", "u2"]}""");
        (await Admin(project, HttpMethod.Post, $"/admin/v1/runs/{runId}/cancel")).AssertStatus(200);
        await Host.DrainAsync();
        Assert.Empty(await Notifications(project, runId));
        var run = await RunView(project, runId);
        Assert.Equal("cancelled", (string?)run["status"]);
        Assert.Equal("stopped", (string?)run["fan_out"]!["status"]);
    }

    [Fact]
    public async Task CancelRun_AfterItCompleted_Is409()
    {
        var project = await PublishAsync(await NewProjectAsync(), "quick", Steps(Trigger, InApp("inbox", 1), End(2)));
        var runId = await RunAsync(project, "quick", """{"recipients": ["u1"]}""");
        await Host.DrainAsync();
        var error = (await Admin(project, HttpMethod.Post, $"/admin/v1/runs/{runId}/cancel")).AssertError(409, "conflict");
        Assert.Equal("completed", (string?)error["details"]!["current_status"]);
    }

    [Fact]
    public async Task CancelByKey_CancelsOpenNotificationsOfThatKey_OptionallyOnlyForSomeRecipients()
    {
        var project = await PublishAsync(await NewProjectAsync(), "keyed", Waiting);
        var first = await RunAsync(project, "keyed", """{"recipients": ["u1"], "cancellation_key": "k"}""");
        var second = await RunAsync(project, "keyed", """{"recipients": ["u2", "u3"], "cancellation_key": "k"}""");
        var otherKey = await RunAsync(project, "keyed", """{"recipients": ["u1"], "cancellation_key": "other"}""");
        var partial = await RunAsync(project, "keyed", """{"recipients": ["u1", "u2"], "cancellation_key": "p"}""");
        await Host.DrainAsync();

        var count = (await Admin(project, HttpMethod.Post, "/admin/v1/runs/cancel", """{"cancellation_key": "k"}""")).AssertStatus(200).Body;
        Assert.Equal(3, (int)count["cancelled_count"]!);
        var some = (await Admin(project, HttpMethod.Post, "/admin/v1/runs/cancel", """{"cancellation_key": "p", "recipients": ["u2", "ghost"]}"""))
            .AssertStatus(200).Body;
        Assert.Equal(1, (int)some["cancelled_count"]!);
        var none = (await Admin(project, HttpMethod.Post, "/admin/v1/runs/cancel", """{"cancellation_key": "k"}""")).AssertStatus(200).Body;
        Assert.Equal(0, (int)none["cancelled_count"]!);

        Host.Time.Advance(TimeSpan.FromDays(1));
        await Host.DrainAsync();
        foreach (var run in new[] { first, second })
        {
            Assert.All(await Notifications(project, run), n =>
            {
                Assert.Equal("cancelled", (string?)n["status"]);
                Assert.Equal("cancelled_key", (string?)n["status_reason"]);
            });
            Assert.Equal("cancelled", (string?)(await RunView(project, run))["status"]);
        }
        Assert.Equal("processed", (string?)(await OnlyNotification(project, otherKey))["status"]);
        var mixed = await Notifications(project, partial);
        Assert.Equal("cancelled_key", (string?)mixed.Single(n => (string?)n["recipient"]!["external_id"] == "u2")["status_reason"]);
        Assert.Equal("processed", (string?)mixed.Single(n => (string?)n["recipient"]!["external_id"] == "u1")["status"]);
        Assert.Equal("completed", (string?)(await RunView(project, partial))["status"]);
    }

    [Fact]
    public async Task CancelByKey_WithRecipients_BeforeFanOut_TheirNotificationsNeverRun()
    {
        var project = await PublishAsync(await NewProjectAsync(), "keyed", Waiting);
        var runId = await RunAsync(project, "keyed", """{"recipients": ["u1", "u2"], "cancellation_key": "early"}""");
        var count = (await Admin(project, HttpMethod.Post, "/admin/v1/runs/cancel", """{"cancellation_key": "early", "recipients": ["u1"]}"""))
            .AssertStatus(200).Body;
        Assert.Equal(1, (int)count["cancelled_count"]!);
        await Host.DrainAsync();
        var notifications = await Notifications(project, runId);
        var u1 = await Notification(project, (string)notifications.Single(n => (string?)n["recipient"]!["external_id"] == "u1")["id"]!);
        Assert.Equal("cancelled", (string?)u1["status"]);
        Assert.Equal("cancelled_key", (string?)u1["status_reason"]);
        Assert.Empty(DeliveredSteps(u1));
        Assert.Equal("processing", (string?)notifications.Single(n => (string?)n["recipient"]!["external_id"] == "u2")["status"]);
        var run = await RunView(project, runId);
        Assert.Equal(2, (int)run["recipient_count"]!);
        Assert.Equal(2, (int)run["notification_counts"]!["total"]!);
    }

    [Fact]
    public async Task Conditions_ReadRecipientAttributesWhenTheStepIsReached()
    {
        var project = await PublishAsync(await NewProjectAsync(), "later", Steps(Trigger, Wait("pause", 1, 1, "hours"),
            Condition("plan", 2, "", Branch("pro", When("recipient.plan", "equal_to", "\"pro\"")), Branch("other", null)),
            InApp("greet", 3, "Hi {{ recipient.first_name }}"), End(4)));
        var n = await RunOneAsync(project, "later", recipient: """{"external_id": "u1", "first_name": "Old", "custom_fields": {"plan": "free"}}""");
        (await Admin(project, HttpMethod.Put, "/admin/v1/users/u1", """{"first_name": "New", "custom_fields": {"plan": "pro"}}""")).AssertStatus(200);
        Host.Time.Advance(TimeSpan.FromHours(1));
        await Host.DrainAsync();
        var done = await Reload(project, n);
        Assert.Equal("pro", (string?)StepExecution(done, "plan")["branch_handle"]);
        Assert.Equal("Hi New", (string?)Delivery(done, "greet")["data"]!["body"]);
    }

    [Fact]
    public async Task CancelDigestCarrier_CancelsItsMembersAndTheWindow()
    {
        var project = await PublishAsync(await NewProjectAsync(), "digesting", Steps(Trigger,
            Digest("collect", 1, 1, "hours"), InApp("summary", 2, "{{ digest.total_items }}"), End(3)));
        var carrierRun = await RunAsync(project, "digesting", """{"recipients": ["u1"]}""");
        await Host.DrainAsync();
        var memberRun = await RunAsync(project, "digesting", """{"recipients": ["u1"]}""");
        await Host.DrainAsync();
        Assert.Equal("digested", (string?)(await OnlyNotification(project, memberRun))["status_reason"]);

        (await Admin(project, HttpMethod.Post, $"/admin/v1/runs/{carrierRun}/cancel")).AssertStatus(200);
        var member = await OnlyNotification(project, memberRun);
        Assert.Equal("cancelled", (string?)member["status"]);
        Assert.Equal("cancelled_run", (string?)member["status_reason"]);

        // A notification after the cancel opens a window of its own; the cancelled carrier never continues.
        var fresh = await RunAsync(project, "digesting", """{"recipients": ["u1"]}""");
        await Host.DrainAsync();
        var opener = await OnlyNotification(project, fresh);
        Assert.Equal("processing", (string?)opener["status"]);
        Host.Time.Advance(TimeSpan.FromHours(1));
        await Host.DrainAsync();
        var carrier = await OnlyNotification(project, carrierRun);
        Assert.Equal("cancelled", (string?)carrier["status"]);
        Assert.Empty(DeliveredSteps(carrier));
        Assert.Equal("1", (string?)Delivery(await Reload(project, opener), "summary")["data"]!["body"]);
    }

    [Fact]
    public async Task ExactlyOnce_DrainingAgainOrReplayingTheJob_DuplicatesNothing()
    {
        var project = await PublishAsync(await NewProjectAsync(), "once", Steps(Trigger,
            InApp("inbox", 1), Condition("route", 2, "", Branch("all", null), Branch("never", When("data.x", "is_not_empty"))),
            InApp("inside", 0, extra: In("route", "all")), Wait("pause", 3, 1), InApp("after", 4), End(5)));
        var n = await RunOneAsync(project, "once");
        await Host.DrainAsync();
        await Host.DrainAsync();
        var id = Guid.Parse((string)n["id"]!);
        var before = await Reload(project, n);
        Assert.Equal(["inbox", "inside"], DeliveredSteps(before));

        // Replay the notification's job from the start, as a worker would after losing its lease mid-way.
        await Database.WriteAsync(s => s.ExecuteAsync("UPDATE notifications SET next_step = 'trigger' WHERE id = @id", new { id }, Ct), Ct);
        await Database.WriteAsync(s => s.ExecuteAsync(
            "UPDATE jobs SET due_at = @now WHERE kind = 'notification' AND target_id = @id", new { id, now = Host.Time.GetUtcNow() }, Ct), Ct);
        await Host.DrainAsync();
        var replayed = await Reload(project, n);
        Assert.Equal(Trail(before), Trail(replayed));
        Assert.Equal(Deliveries(before).Select(d => (string?)d["id"]), Deliveries(replayed).Select(d => (string?)d["id"]));
        Assert.Equal("processing", (string?)replayed["status"]);

        // A spurious early wake-up of the waiting job does not end the wait early.
        await Database.WriteAsync(s => s.ExecuteAsync(
            "UPDATE jobs SET due_at = @now WHERE kind = 'notification' AND target_id = @id", new { id, now = Host.Time.GetUtcNow() }, Ct), Ct);
        await Host.DrainAsync();
        Assert.Equal(("pause", "waiting"), Trail(await Reload(project, n))[^1]);

        Host.Time.Advance(TimeSpan.FromDays(1));
        await Host.DrainAsync();
        var done = await Reload(project, n);
        Assert.Equal("processed", (string?)done["status"]);
        Assert.Equal(["inbox", "inside", "after"], DeliveredSteps(done));

        // A job for a finished notification does nothing.
        var now = Host.Time.GetUtcNow();
        await Database.WriteAsync(s => JobStore.EnqueueAsync(s, new JobRow
        {
            Id = Guid.NewGuid(), Kind = JobKinds.Notification, TargetId = id, DueAt = now, CreatedAt = now,
        }, Ct), Ct);
        Assert.Equal(1, await Host.DrainAsync());
        var after = await Reload(project, n);
        Assert.Equal(Trail(done), Trail(after));
        Assert.Equal(3, Deliveries(after).Count);
        Assert.Equal((string?)done["updated_at"], (string?)after["updated_at"]);
    }
}

public sealed class SqliteRunLifecycleTests(SqliteFixture fixture) : RunLifecycleTests<SqliteFixture>(fixture);

public sealed class PostgresRunLifecycleTests(PostgresFixture fixture) : RunLifecycleTests<PostgresFixture>(fixture);
