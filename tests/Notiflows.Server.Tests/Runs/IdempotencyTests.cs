using Microsoft.Extensions.DependencyInjection;
using Notiflows.Server.Tests.Infrastructure;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Tests.Runs;

/// <summary>Idempotency-Key (§4.7) on runs and on other POSTs of the Admin and Management APIs.</summary>
public abstract class IdempotencyTests<TFixture>(TFixture fixture) : RunTestBase<TFixture>(fixture) where TFixture : HostFixture
{
    private const string Body = """{"recipients": ["u1", "u2"], "data": {"n": 1}}""";

    [Fact]
    public async Task AdminRun_Replay_ReturnsSameStatusBodyAndLocation_AndCreatesNothing()
    {
        var p = await ProjectWithFlowAsync();
        var first = await AdminRun(p, Body, Key("k-1"));
        var id = RunId(first);
        Assert.Null(first.Header("Idempotent-Replayed"));

        var replay = await AdminRun(p, Body, Key("k-1"));

        Assert.Equal(202, replay.Status);
        Assert.Equal(first.Text, replay.Text);
        Assert.Equal(first.Header("Location"), replay.Header("Location"));
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
        Assert.StartsWith("application/json", replay.Header("Content-Type"), StringComparison.Ordinal);
        await Host.DrainAsync();
        Assert.Equal([id], await Runs(p));
        Assert.Equal(2, (await AllNotifications(p)).Count);
    }

    [Fact]
    public async Task AdminRun_ReplayWithReorderedKeysAndWhitespace_IsTheSameFingerprint()
    {
        var p = await ProjectWithFlowAsync();
        var first = await AdminRun(p, """{"recipients": ["u1"], "data": {"a": 1, "b": [1, 2]}}""", Key("k"));

        var replay = await AdminRun(p, "{ \"data\" : {\"b\":[1,2],\"a\":1},\n \"recipients\":[\"u1\"] }", Key("k"));

        Assert.Equal(first.Text, replay.AssertStatus(202).Text);
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
    }

    [Fact]
    public async Task ManagementRun_Replay_ReturnsSameBodyWithoutLocation()
    {
        var p = await ProjectWithFlowAsync();
        var first = await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/{Flow}/run", Body, Key("m-1"));
        RunId(first);

        var replay = await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/{Flow}/run", Body, Key("m-1"));

        Assert.Equal((202, first.Text, "true"), (replay.Status, replay.Text, replay.Header("Idempotent-Replayed")));
        Assert.Null(replay.Header("Location"));
        await Host.DrainAsync();
        Assert.Single(await Runs(p));
        Assert.Equal(2, (await AllNotifications(p)).Count);
    }

    [Fact]
    public async Task SameKey_DifferentBody_Returns409FingerprintMismatch()
    {
        var p = await ProjectWithFlowAsync();
        RunId(await AdminRun(p, Body, Key("k-2")));

        var error = (await AdminRun(p, """{"recipients": ["u3"]}""", Key("k-2"))).AssertError(409, "conflict");

        Assert.Equal("fingerprint_mismatch", (string?)error["details"]!["reason"]);
        Assert.Equal("k-2", (string?)error["details"]!["idempotency_key"]);
        Assert.Single(await Runs(p));
        (await GetUser(p, "u3")).AssertError(404, "not_found");
        // The conflict is not stored: the original is still replayed.
        Assert.Equal("true", (await AdminRun(p, Body, Key("k-2"))).AssertStatus(202).Header("Idempotent-Replayed"));
    }

    [Fact]
    public async Task SameKey_OtherOperation_Returns409FingerprintMismatch()
    {
        var p = await ProjectWithFlowAsync();
        await PublishAsync(p, "other", FlowSteps);
        RunId(await AdminRun(p, Body, Key("k-op")));

        var error = (await AdminRun(p, Body, Key("k-op"), handle: "other")).AssertError(409, "conflict");

        Assert.Equal("fingerprint_mismatch", (string?)error["details"]!["reason"]);
    }

    [Theory]
    [InlineData("/admin/v1/notiflows/{id}/run")]
    [InlineData("/admin/notiflows/{handle}/run")]
    [InlineData("/admin/notiflows/{id}/run")]
    [InlineData("/api/admin/v1/notiflows/{handle}/run")]
    public async Task AdminRun_HandleIdAndAliasForms_AreOneFingerprint(string path)
    {
        var p = await ProjectWithFlowAsync();
        var flowId = await NotiflowIdAsync(p);
        var first = await AdminRun(p, Body, Key("k-3"));

        var replay = await Admin(p, HttpMethod.Post, path.Replace("{id}", flowId, StringComparison.Ordinal)
            .Replace("{handle}", Flow, StringComparison.Ordinal), Body, Key("k-3"));

        Assert.Equal(first.Text, replay.AssertStatus(202).Text);
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
        Assert.Equal(first.Header("Location"), replay.Header("Location"));
        Assert.Single(await Runs(p));
    }

    [Theory]
    [InlineData("/management/v1/notiflows/{id}/run", true)]
    [InlineData("/api/management/v1/projects/{slug}/notiflows/{handle}/run", false)]
    [InlineData("/api/management/v1/notiflows/{handle}/run", true)]
    public async Task ManagementRun_PathForms_AreOneFingerprint(string path, bool header)
    {
        var p = await ProjectWithFlowAsync();
        var flowId = await NotiflowIdAsync(p);
        var first = await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/{Flow}/run", Body, Key("k-4"));
        var headers = Key("k-4");
        if (header)
        {
            headers["x-notiflows-project"] = p.Slug;
        }

        var replay = await Mgmt(HttpMethod.Post, path.Replace("{id}", flowId, StringComparison.Ordinal).Replace("{handle}", Flow, StringComparison.Ordinal)
            .Replace("{slug}", p.Slug, StringComparison.Ordinal), Body, headers);

        Assert.Equal((202, first.Text, "true"), (replay.Status, replay.Text, replay.Header("Idempotent-Replayed")));
        Assert.Single(await Runs(p));
    }

    [Fact]
    public async Task A422_IsStoredAndReplayed()
    {
        var p = await ProjectWithFlowAsync();
        var first = await AdminRun(p, """{"recipients": []}""", Key("k-422"));
        first.AssertError(422, "validation_failed", "recipients", "too_short");

        var replay = await AdminRun(p, """{"recipients": []}""", Key("k-422"));

        Assert.Equal((422, first.Text, "true"), (replay.Status, replay.Text, replay.Header("Idempotent-Replayed")));
        Assert.Empty(await Runs(p));
    }

    [Fact]
    public async Task A409State_IsStoredAndReplayed_EvenAfterTheStateChanges()
    {
        var p = await ProjectWithFlowAsync();
        (await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/{Flow}/deactivate")).AssertStatus(200);
        var first = await AdminRun(p, Body, Key("k-409"));
        first.AssertError(409, "conflict");
        (await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/{Flow}/activate")).AssertStatus(200);

        var replay = await AdminRun(p, Body, Key("k-409"));

        Assert.Equal((409, first.Text, "true"), (replay.Status, replay.Text, replay.Header("Idempotent-Replayed")));
        Assert.Empty(await Runs(p));
    }

    [Fact]
    public async Task A401_IsNotStored_SameKeyThenSucceeds()
    {
        var p = await ProjectWithFlowAsync();
        var bad = await SendAsync(Host.Admin(p.PublicKey, "sk_wrong"), HttpMethod.Post, $"/admin/v1/notiflows/{Flow}/run", Body, Key("k-401"));
        bad.AssertError(401, "unauthenticated");

        var good = await AdminRun(p, Body, Key("k-401"));

        RunId(good);
        Assert.Null(good.Header("Idempotent-Replayed"));
        Assert.Single(await Runs(p));
    }

    [Fact]
    public async Task ManagementA401_IsNotStored()
    {
        var p = await ProjectWithFlowAsync();
        var client = Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "nf_at_wrong");
        (await SendAsync(client, HttpMethod.Post, $"{p.Base}/notiflows/{Flow}/run", Body, Key("k-401m"))).AssertError(401, "unauthenticated");

        var good = await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/{Flow}/run", Body, Key("k-401m"));

        RunId(good);
        Assert.Null(good.Header("Idempotent-Replayed"));
    }

    public static TheoryData<string> BadKeys => new() { new string('k', 256), "a\tb", "caf\u00e9", "a\u007fb" };

    [Theory]
    [MemberData(nameof(BadKeys))]
    public async Task InvalidKey_Returns400InvalidParam(string key)
    {
        var p = await ProjectWithFlowAsync();

        var admin = (await AdminRun(p, Body, Key(key))).AssertError(400, "bad_request");
        var mgmt = (await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/{Flow}/run", Body, Key(key))).AssertError(400, "bad_request");

        foreach (var error in new[] { admin, mgmt })
        {
            Assert.Equal("invalid_param", (string?)error["details"]!["reason"]);
            Assert.Equal("Idempotency-Key", (string?)error["details"]!["param"]);
        }
        Assert.Empty(await Runs(p));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(255)]
    public async Task KeyOfOneOr255PrintableChars_IsAccepted(int length)
    {
        var p = await ProjectWithFlowAsync();
        var key = string.Concat(Enumerable.Range(0, length).Select(i => (char)(' ' + 1 + (i % 94))));

        RunId(await AdminRun(p, Body, Key(key)));
        Assert.Equal("true", (await AdminRun(p, Body, Key(key))).AssertStatus(202).Header("Idempotent-Replayed"));
    }

    [Fact]
    public async Task Keys_AreScopedPerProject()
    {
        var p1 = await ProjectWithFlowAsync();
        var p2 = await ProjectWithFlowAsync();

        var a = RunId(await AdminRun(p1, Body, Key("shared")));
        var b = await AdminRun(p2, Body, Key("shared"));

        Assert.NotEqual(a, RunId(b));
        Assert.Null(b.Header("Idempotent-Replayed"));
        Assert.Single(await Runs(p1));
        Assert.Single(await Runs(p2));
    }

    [Fact]
    public async Task Keys_AreSharedBetweenAdminAndManagementOfOneProject()
    {
        var p = await ProjectWithFlowAsync();
        RunId(await AdminRun(p, Body, Key("both")));

        // Same (method, operation, body): a replay of the Admin answer, Location included (§4.7: one scope, stored Location verbatim).
        var replay = await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/{Flow}/run", Body, Key("both"));

        Assert.Equal("true", replay.AssertStatus(202).Header("Idempotent-Replayed"));
        Assert.Single(await Runs(p));
    }

    [Fact]
    public async Task Key_IsForgottenAfter24Hours()
    {
        var p = await ProjectWithFlowAsync();
        var first = RunId(await AdminRun(p, Body, Key("k-24")));
        Host.Time.Advance(TimeSpan.FromHours(23.9));
        Assert.Equal("true", (await AdminRun(p, Body, Key("k-24"))).AssertStatus(202).Header("Idempotent-Replayed"));
        Host.Time.Advance(TimeSpan.FromHours(0.2));

        var again = await AdminRun(p, """{"recipients": ["other"]}""", Key("k-24"));

        Assert.NotEqual(first, RunId(again));
        Assert.Null(again.Header("Idempotent-Replayed"));
        Assert.Equal(2, (await Runs(p)).Count);
    }

    [Fact]
    public async Task Publish_WithKey_IsReplayed()
    {
        var p = await NewProjectAsync();
        (await Mgmt(HttpMethod.Put, $"{p.Base}/notiflows/{Flow}", $$"""{"name": "x", "steps": {{FlowSteps}}}""")).AssertStatus(201);
        var first = (await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/{Flow}/publish", null, Key("pub"))).AssertStatus(200);
        (await Mgmt(HttpMethod.Put, $"{p.Base}/notiflows/{Flow}", $$"""{"name": "x", "steps": [{{Trigger}}, {{InApp("second", 1)}}, {{End(2)}}]}"""))
            .AssertStatus(200);

        var replay = await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/{Flow}/publish", null, Key("pub"));

        Assert.Equal((200, first.Text, "true"), (replay.Status, replay.Text, replay.Header("Idempotent-Replayed")));
        var flow = (await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/{Flow}")).AssertStatus(200).Body;
        Assert.True((bool)flow["has_unpublished_changes"]!, "the replayed publish must not publish the new draft");
    }

    [Fact]
    public async Task CreateProject_WithKey_IsReplayed_AndScopedToTheAccount()
    {
        var slug = "p-" + Guid.NewGuid().ToString("N")[..12];
        var body = $$"""{"slug": "{{slug}}", "name": "Idem"}""";
        var key = "proj-" + slug;
        var first = (await Mgmt(HttpMethod.Post, "/management/v1/projects", body, Key(key))).AssertStatus(201);

        var replay = await Mgmt(HttpMethod.Post, "/api/management/v1/projects", body, Key(key));

        Assert.Equal((201, first.Text, "true"), (replay.Status, replay.Text, replay.Header("Idempotent-Replayed")));
        Assert.Equal(first.Header("Location"), replay.Header("Location"));
        var other = await Mgmt(HttpMethod.Post, "/management/v1/projects", $$"""{"slug": "{{slug}}-b", "name": "Idem"}""", Key(key));
        Assert.Equal("fingerprint_mismatch", (string?)other.AssertError(409, "conflict")["details"]!["reason"]);
    }

    [Fact]
    public async Task OtherMethods_IgnoreTheKey()
    {
        var p = await ProjectWithFlowAsync();
        (await Admin(p, HttpMethod.Put, "/admin/v1/users/u", """{"first_name": "A"}""", Key("put"))).AssertStatus(201);

        var second = await Admin(p, HttpMethod.Put, "/admin/v1/users/u", """{"first_name": "B"}""", Key("put"));

        Assert.Equal("B", (string?)second.AssertStatus(200).Body["first_name"]);
        Assert.Null(second.Header("Idempotent-Replayed"));
        (await Admin(p, HttpMethod.Get, "/admin/v1/users/u", null, Key(new string('k', 300)))).AssertStatus(200);
    }

    [Fact]
    public async Task ConcurrentRequestsWithOneKey_CreateOneRun_AndNeverFail()
    {
        var p = await ProjectWithFlowAsync();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => AdminRun(p, Body, Key("race"))));

        Assert.All(responses, r => Assert.True(
            r.Status == 202 || (r.Status == 409 && (string?)r.Body["error"]!["details"]!["reason"] == "in_progress"), r.Text));
        Assert.Single(responses.Where(r => r.Status == 202).Select(r => r.Text).Distinct());
        Assert.Single(await Runs(p));
    }

    [Fact]
    public async Task SameKey_WhileFirstIsInProgress_Returns409InProgress()
    {
        var p = await ProjectWithFlowAsync();
        RunId(await AdminRun(p, Body, Key("k-busy")));
        // Put the stored key back into the state it has while its first request is still running (same fingerprint).
        var db = Host.Services.GetRequiredService<Db>();
        var updated = await db.WriteAsync(s => s.ExecuteAsync(
            "UPDATE idempotency_keys SET status = 'in_progress', response_status = NULL, response_body = NULL, location = NULL WHERE idem_key = @key",
            new { key = "k-busy" }, Ct), Ct);
        Assert.Equal(1, updated);

        var error = (await AdminRun(p, Body, Key("k-busy"))).AssertError(409, "conflict");

        Assert.Equal("in_progress", (string?)error["details"]!["reason"]);
        Assert.Equal("k-busy", (string?)error["details"]!["idempotency_key"]);
        Assert.Single(await Runs(p));
        // A different body is still a fingerprint mismatch while in progress.
        Assert.Equal("fingerprint_mismatch",
            (string?)(await AdminRun(p, """{"recipients": ["x"]}""", Key("k-busy"))).AssertError(409, "conflict")["details"]!["reason"]);
    }
}

public sealed class SqliteIdempotencyTests(SqliteFixture fixture) : IdempotencyTests<SqliteFixture>(fixture);

public sealed class PostgresIdempotencyTests(PostgresFixture fixture) : IdempotencyTests<PostgresFixture>(fixture);
