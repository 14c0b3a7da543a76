using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Engine;

/// <summary>Condition steps (§9.4) and step gates (§10.1) through the real engine.</summary>
public abstract class ConditionStepTests<TFixture>(TFixture fixture) : EngineTests<TFixture>(fixture) where TFixture : HostFixture
{
    // Branches a (x = a), the default (in the middle of the array), b (x = b or y = b); each with one child; then "after".
    private static readonly string Routed = Steps(Trigger,
        Condition("route", 1, "",
            Branch("a", When("data.x", "equal_to", "\"a\"")),
            Branch("fallback", null),
            Branch("b", """
                [{"operator": "and", "conditions": [{"property": "data.x", "operator": "equal_to", "value": "b"}]},
                 {"operator": "or", "conditions": [{"property": "data.y", "operator": "equal_to", "value": "b"}]}]
                """)),
        InApp("a_msg", 0, extra: In("route", "a")),
        InApp("fallback_msg", 0, extra: In("route", "fallback")),
        InApp("b_msg", 0, extra: In("route", "b")),
        InApp("after", 2),
        End(3));

    [Theory]
    [InlineData("""{"x": "a", "y": "b"}""", "a")]
    [InlineData("""{"x": "b"}""", "b")]
    [InlineData("""{"x": "z", "y": "b"}""", "b")]
    [InlineData("""{"x": "z"}""", "fallback")]
    [InlineData("""{}""", "fallback")]
    public async Task Condition_FirstMatchingBranchWins_ElseDefaultWhereverItStands(string data, string branch)
    {
        var project = await PublishAsync(await NewProjectAsync(), "routed", Routed);
        var n = await RunOneAsync(project, "routed", data);
        Assert.Equal("processed", (string?)n["status"]);
        Assert.Equal(branch, (string?)StepExecution(n, "route")["branch_handle"]);
        Assert.Equal("executed", (string?)StepExecution(n, "route")["outcome"]);
        Assert.Equal([$"{branch}_msg", "after"], DeliveredSteps(n));
        Assert.Equal(["trigger", "route", $"{branch}_msg", "after", "end"], Executed(n));
        var child = StepExecution(n, $"{branch}_msg");
        Assert.Equal("route", (string?)child["parent_step_handle"]);
        Assert.Equal(branch, (string?)child["branch_handle"]);
    }

    [Fact]
    public async Task Condition_NoBranchMatchesAndNoDefault_ContinuesAfterTheConditionStep()
    {
        var project = await PublishAsync(await NewProjectAsync(), "nodefault", Steps(Trigger,
            Condition("route", 1, "", Branch("a", When("data.x", "equal_to", "\"a\"")), Branch("b", When("data.x", "equal_to", "\"b\""))),
            InApp("a_msg", 0, extra: In("route", "a")),
            InApp("b_msg", 0, extra: In("route", "b")),
            InApp("after", 2),
            End(3)));
        var n = await RunOneAsync(project, "nodefault", """{"x": "c"}""");
        Assert.Equal("processed", (string?)n["status"]);
        Assert.Null(StepExecution(n, "route")["branch_handle"]);
        Assert.Equal(["trigger", "route", "after", "end"], Executed(n));
        Assert.Equal(["after"], DeliveredSteps(n));
    }

    [Fact]
    public async Task Condition_FinishBranch_EndsTheNotificationProcessedAfterItsChildren()
    {
        var project = await PublishAsync(await NewProjectAsync(), "finish", Steps(Trigger,
            Condition("route", 1, "", Branch("stop", When("data.stop", "equal_to", "true"), finish: true), Branch("go", null)),
            InApp("stop_msg", 0, extra: In("route", "stop")),
            InApp("after", 2),
            End(3)));
        var n = await RunOneAsync(project, "finish", """{"stop": true}""");
        Assert.Equal("processed", (string?)n["status"]);
        Assert.Null(n["status_reason"]);
        Assert.NotNull(n["processed_at"]);
        Assert.Equal(["trigger", "route", "stop_msg"], Executed(n));
        Assert.Equal(["stop_msg"], DeliveredSteps(n));

        var other = await RunOneAsync(project, "finish", """{"stop": false}""", """{"external_id": "u2"}""");
        Assert.Equal(["trigger", "route", "after", "end"], Executed(other));
    }

    [Fact]
    public async Task Condition_FinishBranchWithoutChildren_EndsAtOnce()
    {
        var project = await PublishAsync(await NewProjectAsync(), "finish-empty", Steps(Trigger,
            Condition("route", 1, "", Branch("stop", When("data.stop", "equal_to", "true"), finish: true), Branch("go", null)),
            InApp("after", 2),
            End(3)));
        var n = await RunOneAsync(project, "finish-empty", """{"stop": true}""");
        Assert.Equal("processed", (string?)n["status"]);
        Assert.Equal(["trigger", "route"], Executed(n));
        Assert.Empty(DeliveredSteps(n));
    }

    [Fact]
    public async Task Condition_EndInsideABranch_EndsTheNotification()
    {
        var project = await PublishAsync(await NewProjectAsync(), "branch-end", Steps(Trigger,
            Condition("route", 1, "", Branch("stop", When("data.stop", "equal_to", "true")), Branch("go", null)),
            InApp("stop_msg", 0, extra: In("route", "stop")),
            Step("stop_end", "end", 1, In("route", "stop").TrimEnd(',')),
            InApp("after", 2),
            End(3)));
        var n = await RunOneAsync(project, "branch-end", """{"stop": true}""");
        Assert.Equal("processed", (string?)n["status"]);
        Assert.Equal(["trigger", "route", "stop_msg", "stop_end"], Executed(n));
        Assert.Equal(["stop_msg"], DeliveredSteps(n));
    }

    [Fact]
    public async Task Condition_BranchChildrenRunInPositionOrder_ThenExecutionContinuesAfterTheConditionStep()
    {
        var project = await PublishAsync(await NewProjectAsync(), "ordered", Steps(Trigger,
            InApp("before", 1),
            Condition("route", 2, "", Branch("all", null), Branch("never", When("data.never", "is_not_empty"))),
            InApp("third", 7, extra: In("route", "all")),
            InApp("first", 0, extra: In("route", "all")),
            InApp("second", 3, extra: In("route", "all")),
            InApp("after", 5),
            End(9)));
        var n = await RunOneAsync(project, "ordered");
        Assert.Equal(["trigger", "before", "route", "first", "second", "third", "after", "end"], Executed(n));
        Assert.Equal(["before", "first", "second", "third", "after"], DeliveredSteps(n));
    }

    [Fact]
    public async Task Condition_NestedThreeLevels_DescendsAndUnwindsThroughEveryScope()
    {
        var project = await PublishAsync(await NewProjectAsync(), "nested", Steps(Trigger,
            Condition("c1", 1, "", Branch("x", When("data.level", "greater_than_or_equal_to", "1")), Branch("x_else", null)),
            Condition("c2", 0, In("c1", "x"), Branch("y", When("data.level", "greater_than_or_equal_to", "2")), Branch("y_else", null)),
            Condition("c3", 0, In("c2", "y"), Branch("z", When("data.level", "greater_than_or_equal_to", "3")), Branch("z_else", null)),
            InApp("deep", 0, extra: In("c3", "z")),
            InApp("z_else_msg", 0, extra: In("c3", "z_else")),
            InApp("after_c3", 1, extra: In("c2", "y")),
            InApp("after_c2", 1, extra: In("c1", "x")),
            InApp("x_else_msg", 0, extra: In("c1", "x_else")),
            InApp("after_c1", 2),
            End(3)));
        var n = await RunOneAsync(project, "nested", """{"level": 3}""");
        Assert.Equal(["trigger", "c1", "c2", "c3", "deep", "after_c3", "after_c2", "after_c1", "end"], Executed(n));
        Assert.Equal("x", (string?)StepExecution(n, "c1")["branch_handle"]);
        Assert.Equal("y", (string?)StepExecution(n, "c2")["branch_handle"]);
        Assert.Equal("z", (string?)StepExecution(n, "c3")["branch_handle"]);
        Assert.Equal("c3", (string?)StepExecution(n, "deep")["parent_step_handle"]);

        var two = await RunOneAsync(project, "nested", """{"level": 2}""", """{"external_id": "u2"}""");
        Assert.Equal(["trigger", "c1", "c2", "c3", "z_else_msg", "after_c3", "after_c2", "after_c1", "end"], Executed(two));
        var zero = await RunOneAsync(project, "nested", """{"level": 0}""", """{"external_id": "u3"}""");
        Assert.Equal(["trigger", "c1", "x_else_msg", "after_c1", "end"], Executed(zero));
    }

    [Fact]
    public async Task Condition_EmptyBranch_RecordsTheBranchAndContinuesAfter()
    {
        var project = await PublishAsync(await NewProjectAsync(), "empty", Steps(Trigger,
            Condition("route", 1, "", Branch("nothing", When("data.x", "equal_to", "1")), Branch("other", null)),
            InApp("other_msg", 0, extra: In("route", "other")),
            InApp("after", 2),
            End(3)));
        var n = await RunOneAsync(project, "empty", """{"x": 1}""");
        Assert.Equal("nothing", (string?)StepExecution(n, "route")["branch_handle"]);
        Assert.Equal(["trigger", "route", "after", "end"], Executed(n));
    }

    [Fact]
    public async Task Gate_OnAChannelStep_RecordsASkippedDeliveryAndContinues()
    {
        var project = await PublishAsync(await NewProjectAsync(), "gated", Steps(Trigger,
            InApp("gated", 1, extra: Gate(When("data.vip", "equal_to", "true")) + ","),
            InApp("open", 2),
            End(3)));
        var n = await RunOneAsync(project, "gated", """{"vip": false}""");
        Assert.Equal("processed", (string?)n["status"]);
        var skipped = Delivery(n, "gated");
        Assert.Equal("skipped", (string?)skipped["status"]);
        Assert.Equal("gate_conditions", (string?)skipped["skip_reason"]);
        Assert.Empty(skipped["data"]!.AsObject());
        Assert.Empty(skipped["attempts"]!.AsArray());
        Assert.NotNull(skipped["channel_id"]);
        Assert.Equal("skipped", (string?)StepExecution(n, "gated")["outcome"]);
        Assert.Equal("gate_conditions", (string?)StepExecution(n, "gated")["reason"]);
        Assert.Equal("sent", (string?)Delivery(n, "open")["status"]);

        var vip = await RunOneAsync(project, "gated", """{"vip": true}""", """{"external_id": "u2"}""");
        Assert.Equal("sent", (string?)Delivery(vip, "gated")["status"]);
    }

    [Fact]
    public async Task Gate_OnWaitDigestThrottleAndCondition_SkipsThemAndContinues()
    {
        var no = Gate(When("data.go", "equal_to", "true"));
        var project = await PublishAsync(await NewProjectAsync(), "gates", Steps(Trigger,
            Wait("wait", 1, 1, "days", no),
            Digest("digest", 2, 1, "hours", extra: no),
            Throttle("throttle", 3, 1, "hours", extra: no),
            Condition("route", 4, no, Branch("all", null), Branch("never", When("data.x", "is_not_empty"))),
            InApp("inside", 0, extra: In("route", "all")),
            InApp("after", 5),
            End(6)));
        var n = await RunOneAsync(project, "gates");
        Assert.Equal("processed", (string?)n["status"]);
        Assert.Null(n["digest_id"]);
        foreach (var handle in new[] { "wait", "digest", "throttle", "route" })
        {
            Assert.Equal("skipped", (string?)StepExecution(n, handle)["outcome"]);
            Assert.Equal("gate_conditions", (string?)StepExecution(n, handle)["reason"]);
        }
        Assert.Null(StepExecution(n, "route")["branch_handle"]);
        Assert.DoesNotContain(Trail(n), t => t.Step == "inside");
        Assert.Equal(["after"], DeliveredSteps(n));

        // A second notification soon after is neither digested nor throttled: the gated steps never ran.
        var again = await RunOneAsync(project, "gates");
        Assert.Equal("processed", (string?)again["status"]);
        Assert.Null(again["status_reason"]);
        Assert.Equal(["after"], DeliveredSteps(again));
    }
}

public sealed class SqliteConditionStepTests(SqliteFixture fixture) : ConditionStepTests<SqliteFixture>(fixture);

public sealed class PostgresConditionStepTests(PostgresFixture fixture) : ConditionStepTests<PostgresFixture>(fixture);
