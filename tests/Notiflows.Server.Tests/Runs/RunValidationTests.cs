using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Runs;

/// <summary>
/// The run body (§6.5, §4.3, §5.1): one row per bad input with its exact field and reason, and proof that a rejected
/// request stores nothing — neither the valid recipients and actor next to the bad one, nor a run.
/// </summary>
public abstract class RunValidationTests<TFixture>(TFixture fixture) : RunTestBase<TFixture>(fixture) where TFixture : HostFixture
{
    private static readonly string Long256 = new('a', 256);

    /// <summary>Body, field, reason. Every body also names a valid recipient "ok" (where recipients are allowed) and actor "act".</summary>
    public static TheoryData<string, string, string> BadBodies => new()
    {
        { """{"actor": "act"}""", "recipients", "required" },
        { """{"data": {}}""", "recipients", "required" },
        { """{"recipients": null, "topic": null}""", "recipients", "required" },
        { """{"recipients": ["ok"], "topic": "t", "actor": "act"}""", "topic", "not_allowed" },
        { """{"recipients": [], "actor": "act"}""", "recipients", "too_short" },
        { "{\"recipients\": [" + string.Join(",", Enumerable.Range(0, 1001).Select(i => $"\"u{i}\"")) + "]}", "recipients", "too_many" },
        { """{"recipients": "ok"}""", "recipients", "invalid" },
        { """{"recipients": ["ok", 5]}""", "recipients[1]", "invalid" },
        { """{"recipients": [{"email": "a@example.com"}, "ok"]}""", "recipients[0].external_id", "required" },
        { """{"recipients": [{"external_id": ""}, "ok"]}""", "recipients[0].external_id", "required" },
        { """{"recipients": ["ok", {"external_id": 5}]}""", "recipients[1].external_id", "invalid" },
        { """{"recipients": ["ok", {"external_id": "x", "email": "not-an-email"}]}""", "recipients[1].email", "format" },
        { """{"recipients": ["ok", {"external_id": "x", "phone": "5551234"}]}""", "recipients[1].phone", "format" },
        { """{"recipients": ["ok", {"external_id": "x", "avatar": "ftp://example.com/a.png"}]}""", "recipients[1].avatar", "format" },
        { """{"recipients": ["ok", {"external_id": "x", "avatar": "/a.png"}]}""", "recipients[1].avatar", "format" },
        { """{"recipients": ["ok", {"external_id": "x", "locale": "en_US!"}]}""", "recipients[1].locale", "format" },
        { """{"recipients": ["ok", {"external_id": "x", "timezone": "Mars/Olympus_Mons"}]}""", "recipients[1].timezone", "invalid" },
        { """{"recipients": ["ok", {"external_id": "x", "first_name": 5}]}""", "recipients[1].first_name", "invalid" },
        { "{\"recipients\": [\"ok\", {\"external_id\": \"x\", \"last_name\": \"" + Long256 + "\"}]}", "recipients[1].last_name", "too_long" },
        { """{"recipients": ["ok", {"external_id": "x", "custom_fields": [1]}]}""", "recipients[1].custom_fields", "invalid" },
        { """{"recipients": ["ok", {"external_id": "a/b"}]}""", "recipients[1].external_id", "format" },
        { """{"recipients": ["ok", {"external_id": "a\u0007b"}]}""", "recipients[1].external_id", "format" },
        { "{\"recipients\": [\"ok\", {\"external_id\": \"" + Long256 + "\"}]}", "recipients[1].external_id", "too_long" },
        // A bare string is the external id itself, so its errors are reported at the array element.
        { """{"recipients": ["ok", "a/b"]}""", "recipients[1]", "format" },
        { "{\"recipients\": [\"ok\", \"" + Long256 + "\"]}", "recipients[1]", "too_long" },
        { """{"recipients": ["ok", ""]}""", "recipients[1]", "required" },
        { """{"topic": "a b", "actor": "act"}""", "topic", "format" },
        { """{"topic": "..", "actor": "act"}""", "topic", "format" },
        { """{"topic": "", "actor": "act"}""", "topic", "format" },
        { "{\"topic\": \"" + Long256 + "\", \"actor\": \"act\"}", "topic", "format" },
        { """{"topic": 5, "actor": "act"}""", "topic", "invalid" },
        { """{"recipients": ["ok"], "data": "x"}""", "data", "invalid" },
        { """{"recipients": ["ok"], "data": [1, 2]}""", "data", "invalid" },
        { """{"recipients": ["ok"], "actor": 5}""", "actor", "invalid" },
        { """{"recipients": ["ok"], "actor": {"first_name": "A"}}""", "actor.external_id", "required" },
        { """{"recipients": ["ok"], "actor": {"external_id": "act", "email": "nope"}}""", "actor.email", "format" },
        { """{"recipients": ["ok"], "actor": "a/b"}""", "actor", "format" },
        { """{"recipients": ["ok"], "actor": "act", "cancellation_key": ""}""", "cancellation_key", "too_short" },
        { "{\"recipients\": [\"ok\"], \"actor\": \"act\", \"cancellation_key\": \"" + Long256 + "\"}", "cancellation_key", "too_long" },
        { """{"recipients": ["ok"], "actor": "act", "cancellation_key": 5}""", "cancellation_key", "invalid" },
        { """{"recipients": ["ok"], "actor": "act", "version": "published"}""", "version", "not_allowed" },
        { """{"recipients": ["ok"], "actor": "act", "version": "draft"}""", "version", "not_allowed" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task AdminRun_BadBody_Returns422AndStoresNothing(string body, string field, string reason)
    {
        var p = await ProjectWithFlowAsync();

        (await AdminRun(p, body)).AssertError(422, "validation_failed", field, reason);

        await AssertNothingStoredAsync(p);
    }

    [Theory]
    [InlineData("""{"recipients": ["ok"], "version": "latest"}""", "version", "invalid")]
    [InlineData("""{"recipients": ["ok"], "version": 2}""", "version", "invalid")]
    [InlineData("""{"recipients": ["ok"], "version": "Draft"}""", "version", "invalid")]
    [InlineData("""{"recipients": ["ok"], "topic": "t", "version": "draft"}""", "topic", "not_allowed")]
    [InlineData("""{"recipients": [{"external_id": "ok", "phone": "+0123"}]}""", "recipients[0].phone", "format")]
    public async Task ManagementRun_BadBody_Returns422AndStoresNothing(string body, string field, string reason)
    {
        var p = await ProjectWithFlowAsync();

        (await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/{Flow}/run", body)).AssertError(422, "validation_failed", field, reason);

        await AssertNothingStoredAsync(p);
    }

    [Fact]
    public async Task Run_ReportsEveryFieldErrorTogether()
    {
        var p = await ProjectWithFlowAsync();

        var error = (await AdminRun(p, """
            {"recipients": [{"external_id": "x", "email": "bad"}, "a/b"], "topic": "t", "data": 1, "actor": 2, "cancellation_key": "", "version": "x"}
            """)).AssertError(422, "validation_failed");

        var fields = error["details"]!["fields"]!.AsArray().Select(f => ((string)f!["field"]!, (string)f["reason"]!)).ToHashSet();
        Assert.Equal(
            new HashSet<(string, string)>
            {
                ("recipients[0].email", "format"), ("recipients[1]", "format"), ("topic", "not_allowed"), ("data", "invalid"),
                ("actor", "invalid"), ("cancellation_key", "too_short"), ("version", "not_allowed"),
            },
            fields);
    }

    [Fact]
    public async Task Run_ValidEdgeValues_AreAccepted()
    {
        var p = await ProjectWithFlowAsync();
        var max = new string('k', 255);

        RunId(await AdminRun(p, $$$"""
            {"recipients": [{"external_id": "{{{max}}}", "email": "a@example.com", "phone": "+15551234567", "avatar": "https://example.com/a.png",
              "locale": "en-US", "timezone": "America/New_York", "custom_fields": {}}, "ünïcode id"],
             "data": {}, "actor": null, "cancellation_key": "{{{max}}}"}
            """));
        RunId(await AdminRun(p, """{"topic": "Orders_1.a:b-c", "data": null}"""));

        (await GetUser(p, max)).AssertStatus(200);
        (await GetUser(p, "ünïcode id")).AssertStatus(200);
    }

    [Fact]
    public async Task Run_UnknownFieldsAreIgnored()
    {
        var p = await ProjectWithFlowAsync();

        var id = RunId(await AdminRun(p, """{"recipients": [{"external_id": "u1", "shoe_size": 44}], "priority": "high"}"""));

        Assert.Equal(1, (int)(await RunView(p, id))["recipient_count"]!);
        Assert.DoesNotContain("shoe_size", (await GetUser(p, "u1")).AssertStatus(200).Text, StringComparison.Ordinal);
    }

    private async Task AssertNothingStoredAsync(TestProject p)
    {
        foreach (var user in new[] { "ok", "act", "x", "u0" })
        {
            (await GetUser(p, user)).AssertError(404, "not_found");
        }
        Assert.Empty(await Runs(p));
        await Host.DrainAsync();
        Assert.Empty(await Runs(p));
    }
}

public sealed class SqliteRunValidationTests(SqliteFixture fixture) : RunValidationTests<SqliteFixture>(fixture);

public sealed class PostgresRunValidationTests(PostgresFixture fixture) : RunValidationTests<PostgresFixture>(fixture);
