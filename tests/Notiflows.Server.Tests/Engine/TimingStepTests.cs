using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Engine;

/// <summary>Wait (§12.7), digest (§12.5) and throttle (§12.6) steps, with the fake clock.</summary>
public abstract class TimingStepTests<TFixture>(TFixture fixture) : EngineTests<TFixture>(fixture) where TFixture : HostFixture
{
    [Theory]
    [InlineData(1)]
    [InlineData(365)]
    public async Task Wait_SuspendsUntilTheDurationHasPassed_ThenContinues(int days)
    {
        var project = await PublishAsync(await NewProjectAsync(), "waiting", Steps(Trigger,
            InApp("before", 1), Wait("pause", 2, days), InApp("after", 3), End(4)));
        var n = await RunOneAsync(project, "waiting");
        Assert.Equal("processing", (string?)n["status"]);
        Assert.Equal([("trigger", "executed"), ("before", "executed"), ("pause", "waiting")], Trail(n));

        Host.Time.Advance(TimeSpan.FromDays(days) - TimeSpan.FromSeconds(1));
        await Host.DrainAsync();
        Assert.Equal(["before"], DeliveredSteps(await Reload(project, n)));

        Host.Time.Advance(TimeSpan.FromSeconds(1));
        await Host.DrainAsync();
        var done = await Reload(project, n);
        Assert.Equal("processed", (string?)done["status"]);
        Assert.Equal([("trigger", "executed"), ("before", "executed"), ("pause", "executed"), ("after", "executed"), ("end", "executed")],
            Trail(done));
        Assert.Equal(["before", "after"], DeliveredSteps(done));
    }

    [Fact]
    public async Task Wait_InsideABranch_ContinuesWithTheNextChildThenAfterTheConditionStep()
    {
        var project = await PublishAsync(await NewProjectAsync(), "branch-wait", Steps(Trigger,
            Condition("route", 1, "", Branch("slow", null), Branch("fast", When("data.fast", "equal_to", "true"))),
            InApp("first", 0, extra: In("route", "slow")),
            Wait("pause", 1, 2, "hours", In("route", "slow")),
            InApp("second", 2, extra: In("route", "slow")),
            InApp("after", 2),
            End(3)));
        var n = await RunOneAsync(project, "branch-wait");
        Assert.Equal(("pause", "waiting"), Trail(n)[^1]);
        Host.Time.Advance(TimeSpan.FromHours(2));
        await Host.DrainAsync();
        var done = await Reload(project, n);
        Assert.Equal("processed", (string?)done["status"]);
        Assert.Equal(["trigger", "route", "first", "pause", "second", "after", "end"], Executed(done));
    }

    private const string DigestBody =
        "{% if digest.total_items > 1 %}**{{ actor.first_name }}** and {{ digest.total_items | minus: 1 }} others commented on *{{ data.doc_title }}*"
        + "{% else %}**{{ actor.first_name }}** commented on *{{ data.doc_title }}*{% endif %}\n"
        + "{% for item in digest.items limit: 3 %}- {{ item.data.comment | truncate: 80 }}\n{% endfor %}";

    private static string DigestFlow(string? key = null) => Steps(Trigger,
        InApp("each", 1, "{{ data.comment }}"),
        Digest("collect", 2, 1, "hours", key),
        InApp("summary", 3, DigestBody),
        Condition("many", 4, "", Branch("yes", When("digest.total_items", "greater_than", "1")), Branch("no", null)),
        End(5));

    private Task<string> CommentAsync(TestProject project, string user, string actor, string comment, string extra = "") =>
        RunAsync(project, "comments", "{\"recipients\": [{\"external_id\": \"" + user + "\"}], \"actor\": {\"external_id\": \"" + actor
            + "\", \"first_name\": \"" + actor + "\"}, \"data\": {\"doc_title\": \"Plan\", \"comment\": \"" + comment + "\"" + extra + "}}");

    [Fact]
    public async Task Digest_CollectsTheWindow_ThenTheCarrierContinuesOnceWithAllItems()
    {
        var project = await PublishAsync(await NewProjectAsync(), "comments", DigestFlow());
        var first = await CommentAsync(project, "u1", "Al", "first!");
        await Host.DrainAsync();
        var carrier = await OnlyNotification(project, first);
        Assert.Equal("processing", (string?)carrier["status"]);
        Assert.NotNull(carrier["digest_id"]);
        Assert.Null(carrier["digested_into_notification_id"]);
        Assert.Equal(("collect", "waiting"), Trail(carrier)[^1]);

        Host.Time.Advance(TimeSpan.FromMinutes(20));
        var second = await CommentAsync(project, "u1", "Bo", "second");
        Host.Time.Advance(TimeSpan.FromMinutes(20));
        var third = await CommentAsync(project, "u1", "Cy", "third");
        var otherUser = await CommentAsync(project, "u2", "Al", "for u2");
        await Host.DrainAsync();
        foreach (var run in new[] { second, third })
        {
            var member = await OnlyNotification(project, run);
            Assert.Equal("processed", (string?)member["status"]);
            Assert.Equal("digested", (string?)member["status_reason"]);
            Assert.Equal((string?)carrier["digest_id"], (string?)member["digest_id"]);
            Assert.Equal((string?)carrier["id"], (string?)member["digested_into_notification_id"]);
            Assert.Equal(["each"], DeliveredSteps(member));
            Assert.Equal(("collect", "digested"), Trail(member)[^1]);
            Assert.Equal("completed", (string?)(await RunView(project, run))["status"]);
        }
        var own = await OnlyNotification(project, otherUser);
        Assert.Equal("processing", (string?)own["status"]);
        Assert.NotEqual((string?)carrier["digest_id"], (string?)own["digest_id"]);

        // The window is fixed (one hour from the first arrival), not sliding.
        Host.Time.Advance(TimeSpan.FromMinutes(19));
        await Host.DrainAsync();
        Assert.Equal("processing", (string?)(await Reload(project, carrier))["status"]);
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        await Host.DrainAsync();
        var done = await Reload(project, carrier);
        Assert.Equal("processed", (string?)done["status"]);
        Assert.Null(done["status_reason"]);
        Assert.Equal(["each", "summary"], DeliveredSteps(done));
        Assert.Equal("**Al** and 2 others commented on *Plan*\n- first!\n- second\n- third\n", (string?)Delivery(done, "summary")["data"]!["body"]);
        Assert.Equal("yes", (string?)StepExecution(done, "many")["branch_handle"]);
        Assert.Equal(["trigger", "each", "collect", "summary", "many", "end"], Executed(done));

        // Draining again does not continue the carrier a second time.
        Host.Time.Advance(TimeSpan.FromHours(2));
        await Host.DrainAsync();
        Assert.Equal(2, DeliveredSteps(await Reload(project, carrier)).Count);

        // u2's window had one item.
        var single = await OnlyNotification(project, otherUser);
        Assert.Equal("processed", (string?)single["status"]);
        Assert.Equal("**Al** commented on *Plan*\n- for u2\n", (string?)Delivery(single, "summary")["data"]!["body"]);
        Assert.Equal("no", (string?)StepExecution(single, "many")["branch_handle"]);
    }

    [Fact]
    public async Task Digest_ArrivalAtOrAfterTheCloseTime_OpensANewWindow()
    {
        var project = await PublishAsync(await NewProjectAsync(), "comments", DigestFlow());
        var first = await CommentAsync(project, "u1", "Al", "one");
        await Host.DrainAsync();
        Host.Time.Advance(TimeSpan.FromHours(1));
        // Accepted at the close time, and drained together with the carrier's timer.
        var late = await CommentAsync(project, "u1", "Bo", "two");
        await Host.DrainAsync();
        var carrier = await OnlyNotification(project, first);
        var next = await OnlyNotification(project, late);
        Assert.Equal("processed", (string?)carrier["status"]);
        Assert.Equal("**Al** commented on *Plan*\n- one\n", (string?)Delivery(carrier, "summary")["data"]!["body"]);
        Assert.Equal("processing", (string?)next["status"]);
        Assert.Null(next["digested_into_notification_id"]);
        Assert.NotEqual((string?)carrier["digest_id"], (string?)next["digest_id"]);
        Host.Time.Advance(TimeSpan.FromHours(1));
        await Host.DrainAsync();
        Assert.Equal("**Bo** commented on *Plan*\n- two\n", (string?)Delivery(await Reload(project, next), "summary")["data"]!["body"]);
    }

    [Fact]
    public async Task Digest_ArrivalAfterTheCloseTimeBeforeTheCarrierRan_OpensANewWindow()
    {
        var project = await PublishAsync(await NewProjectAsync(), "comments", DigestFlow());
        var first = await CommentAsync(project, "u1", "Al", "one");
        await Host.DrainAsync();
        Host.Time.Advance(TimeSpan.FromHours(2));
        var late = await CommentAsync(project, "u1", "Bo", "two");
        await Host.DrainAsync();
        Assert.Equal("**Al** commented on *Plan*\n- one\n",
            (string?)Delivery(await OnlyNotification(project, first), "summary")["data"]!["body"]);
        var next = await OnlyNotification(project, late);
        Assert.Equal("processing", (string?)next["status"]);
        Assert.Null(next["status_reason"]);
    }

    [Fact]
    public async Task Digest_KeySeparatesWindows()
    {
        var project = await PublishAsync(await NewProjectAsync(), "comments", DigestFlow("thread"));
        var a1 = await CommentAsync(project, "u1", "Al", "a1", ", \"thread\": \"A\"");
        var b1 = await CommentAsync(project, "u1", "Bo", "b1", ", \"thread\": \"B\"");
        var a2 = await CommentAsync(project, "u1", "Cy", "a2", ", \"thread\": \"A\"");
        var none = await CommentAsync(project, "u1", "Di", "none");
        await Host.DrainAsync();
        Assert.Equal("processing", (string?)(await OnlyNotification(project, a1))["status"]);
        Assert.Equal("processing", (string?)(await OnlyNotification(project, b1))["status"]);
        Assert.Equal("processing", (string?)(await OnlyNotification(project, none))["status"]);
        var joined = await OnlyNotification(project, a2);
        Assert.Equal("digested", (string?)joined["status_reason"]);
        Host.Time.Advance(TimeSpan.FromHours(1));
        await Host.DrainAsync();
        Assert.Equal("**Al** and 1 others commented on *Plan*\n- a1\n- a2\n",
            (string?)Delivery(await OnlyNotification(project, a1), "summary")["data"]!["body"]);
        Assert.Equal("**Bo** commented on *Plan*\n- b1\n", (string?)Delivery(await OnlyNotification(project, b1), "summary")["data"]!["body"]);
        Assert.Equal("**Di** commented on *Plan*\n- none\n", (string?)Delivery(await OnlyNotification(project, none), "summary")["data"]!["body"]);
    }

    [Fact]
    public async Task Digest_MembersFromAMultiRecipientRun_JoinOnlyTheirOwnRecipientsWindow()
    {
        var project = await PublishAsync(await NewProjectAsync(), "comments", DigestFlow());
        var first = await RunAsync(project, "comments",
            """{"recipients": ["u1", "u2"], "actor": {"external_id": "Al", "first_name": "Al"}, "data": {"doc_title": "Plan", "comment": "x"}}""");
        var second = await RunAsync(project, "comments",
            """{"recipients": ["u2", "u1"], "actor": {"external_id": "Bo", "first_name": "Bo"}, "data": {"doc_title": "Plan", "comment": "y"}}""");
        await Host.DrainAsync();
        Assert.All(await Notifications(project, first), n => Assert.Equal("processing", (string?)n["status"]));
        Assert.All(await Notifications(project, second), n => Assert.Equal("digested", (string?)n["status_reason"]));
        Host.Time.Advance(TimeSpan.FromHours(1));
        await Host.DrainAsync();
        foreach (var n in await Notifications(project, first))
        {
            Assert.Equal("**Al** and 1 others commented on *Plan*\n- x\n- y\n",
                (string?)Delivery(await Reload(project, n), "summary")["data"]!["body"]);
        }
        Assert.Equal("completed", (string?)(await RunView(project, first))["status"]);
    }

    private static string ThrottleFlow(string? key = null) => Steps(Trigger, Throttle("limit", 1, 1, "hours", key), InApp("msg", 2), End(3));

    private async Task<string> OutcomeAsync(TestProject project, string data = "{}")
    {
        var n = await RunOneAsync(project, "limited", data);
        Assert.Equal("processed", (string?)n["status"]);
        if ((string?)n["status_reason"] == "throttled")
        {
            Assert.Empty(DeliveredSteps(n));
            var step = StepExecution(n, "limit");
            Assert.Equal("throttled", (string?)step["outcome"]);
            Assert.Equal("throttled", (string?)step["reason"]);
            Assert.Equal(("limit", "throttled"), Trail(n)[^1]);
            return "throttled";
        }
        Assert.Null(n["status_reason"]);
        Assert.Equal(["msg"], DeliveredSteps(n));
        return "passed";
    }

    [Fact]
    public async Task Throttle_OnePassPerWindow_DroppedOnesDoNotExtendIt()
    {
        var project = await PublishAsync(await NewProjectAsync(), "limited", ThrottleFlow());
        Assert.Equal("passed", await OutcomeAsync(project));
        Host.Time.Advance(TimeSpan.FromMinutes(30));
        Assert.Equal("throttled", await OutcomeAsync(project));
        Host.Time.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal("throttled", await OutcomeAsync(project));
        Host.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("passed", await OutcomeAsync(project));
        Host.Time.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal("throttled", await OutcomeAsync(project));
        // Another recipient has a window of its own.
        var other = await RunOneAsync(project, "limited", recipient: """{"external_id": "u2"}""");
        Assert.Null(other["status_reason"]);
    }

    [Fact]
    public async Task Throttle_KeySeparatesWindows()
    {
        var project = await PublishAsync(await NewProjectAsync(), "limited", ThrottleFlow("data.k"));
        Assert.Equal("passed", await OutcomeAsync(project, """{"k": "a"}"""));
        Assert.Equal("passed", await OutcomeAsync(project, """{"k": "b"}"""));
        Assert.Equal("passed", await OutcomeAsync(project, """{}"""));
        Assert.Equal("throttled", await OutcomeAsync(project, """{"k": "a"}"""));
        Assert.Equal("throttled", await OutcomeAsync(project, """{"k": null}"""));
        Assert.Equal("passed", await OutcomeAsync(project, """{"k": 1}"""));
        Assert.Equal("throttled", await OutcomeAsync(project, """{"k": "1"}"""));
    }
}

public sealed class SqliteTimingStepTests(SqliteFixture fixture) : TimingStepTests<SqliteFixture>(fixture);

public sealed class PostgresTimingStepTests(PostgresFixture fixture) : TimingStepTests<PostgresFixture>(fixture);
