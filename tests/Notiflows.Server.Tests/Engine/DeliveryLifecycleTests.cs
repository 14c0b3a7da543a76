using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Notiflows.Core.Delivery;
using Notiflows.Server.Providers;
using Notiflows.Server.Tests.Infrastructure;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Tests.Engine;

/// <summary>
/// A provider whose answers a test scripts, per address or target (unscripted: accepted with 202). It stands in for a real
/// provider name, so channels validate as usual; it is registered after the real ones and wins (§12.9 lifecycle tests).
/// </summary>
public sealed class ScriptedProvider(string provider) : IChannelProvider
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ProviderReply>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<OutboundMessage> _calls = new();

    public string Provider => provider;

    /// <summary>The replies to the next calls for <paramref name="key"/> (an address or a target), in order.</summary>
    public void Script(string key, params ProviderReply[] replies)
    {
        var queue = _scripts.GetOrAdd(key, _ => new ConcurrentQueue<ProviderReply>());
        foreach (var reply in replies)
        {
            queue.Enqueue(reply);
        }
    }

    public List<OutboundMessage> CallsFor(string key) => _calls.Where(m => (m.Target ?? m.Address) == key).ToList();

    public Task<ProviderReply> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        _calls.Enqueue(message);
        var key = message.Target ?? message.Address ?? "";
        return Task.FromResult(_scripts.TryGetValue(key, out var queue) && queue.TryDequeue(out var reply) ? reply : ProviderReply.Ok(202, $"msg-{key}"));
    }
}

/// <summary>No jitter: retry delays are exactly 15 s × 2^(n−1).</summary>
public sealed class NoJitter : RetryJitter
{
    public override double Next() => 1.0;
}

/// <summary>A host with scripted <c>sendgrid</c> (email) and <c>fcm</c> (mobile push) providers and no retry jitter.</summary>
public abstract class DeliveryFixture(DbKind kind) : HostFixture(kind)
{
    public ScriptedProvider Email { get; } = new("sendgrid");
    public ScriptedProvider Push { get; } = new("fcm");
    public ScriptedProvider WebPush { get; } = new("webpush");

    protected override void ConfigureServices(IServiceCollection services)
    {
        services.AddSingleton<IChannelProvider>(Email);
        services.AddSingleton<IChannelProvider>(Push);
        services.AddSingleton<IChannelProvider>(WebPush);
        services.AddSingleton<RetryJitter, NoJitter>();
    }
}

public sealed class SqliteDeliveryFixture() : DeliveryFixture(DbKind.Sqlite);

public sealed class PostgresDeliveryFixture() : DeliveryFixture(DbKind.Postgres);

/// <summary>
/// Durable provider sends (§12.9, §13.5): a channel step creates a pending delivery, a delivery job sends it; retries with
/// backoff, Retry-After, exhaustion, permanent errors, failover to the fallback channel, multi-target push with gone
/// targets, and a user deleted before the send — all as the Admin API shows them.
/// </summary>
public abstract class DeliveryLifecycleTests<TFixture>(TFixture fixture) : EngineTests<TFixture>(fixture) where TFixture : DeliveryFixture
{
    private readonly DeliveryFixture _providers = fixture;

    private static ProviderReply Retryable(int status, TimeSpan? retryAfter = null) => new(AttemptOutcome.Retryable, status, $"HTTP {status}", null, retryAfter);

    private static ProviderReply Permanent(int status, bool gone = false) => new(AttemptOutcome.Permanent, status, $"HTTP {status}", TargetGone: gone);

    private async Task ChannelAsync(TestProject p, string handle, string body) =>
        (await Mgmt(HttpMethod.Put, $"{p.Base}/channels/{handle}", body)).AssertStatus(201);

    private Task SendGridAsync(TestProject p, string handle = "mail-sg", string? fallback = null) =>
        ChannelAsync(p, handle, $$"""
            {"name": "{{handle}}", "type": "email", "provider": "sendgrid",
             "config": {"api_key": "SG.abcdefghijklmnop", "from_email": "ops@example.com"}{{Fallback(fallback)}}}
            """);

    private static string Fallback(string? handle) => handle is null ? "" : $", \"fallback_channel\": \"{handle}\"";

    private Task SandboxAsync(TestProject p, string handle, string outcome, string? fallback = null) =>
        ChannelAsync(p, handle, $$"""
            {"name": "{{handle}}", "type": "email", "provider": "sandbox", "config": {"outcome": "{{outcome}}"}{{Fallback(fallback)}}}
            """);

    private async Task<string> ChannelId(TestProject p, string handle) =>
        (string)(await Mgmt(HttpMethod.Get, $"{p.Base}/channels/{handle}")).AssertStatus(200).Body["id"]!;

    /// <summary>
    /// Publishes trigger → email through <paramref name="channel"/> → end and runs it (then drains) for one recipient with a
    /// unique address, which <paramref name="script"/> may script first.
    /// </summary>
    private async Task<(JsonObject Notification, string Address)> SendEmailAsync(
        TestProject p, string channel, Action<string>? script = null, bool waitAfter = false)
    {
        var address = $"u-{Guid.NewGuid():N}@acme.com";
        script?.Invoke(address);
        var mail = Step("mail", "channel", 1, $$$"""
            "channel_type": "email", "channel_handle": "{{{channel}}}",
            "template": {"data": {"subject": "Hi {{ recipient.first_name }}", "body": "<p>Hello</p>", "content_type": "html"}}
            """);
        await PublishAsync(p, "mail", waitAfter ? Steps(Trigger, mail, Wait("pause", 2, 1), End(3)) : Steps(Trigger, mail, End(2)));
        var runId = await RunAsync(p, "mail", $$"""{"recipients": [{"external_id": "u1", "email": "{{address}}", "first_name": "Jane"}]}""");
        await Host.DrainAsync();
        return (await OnlyNotification(p, runId), address);
    }

    private async Task<JsonObject> AfterAsync(TestProject p, JsonObject n, TimeSpan advance)
    {
        Host.Time.Advance(advance);
        await Host.DrainAsync();
        return Delivery(await Reload(p, n), "mail");
    }

    private static List<JsonObject> Attempts(JsonObject delivery) => delivery["attempts"]!.AsArray().Select(a => a!.AsObject()).ToList();

    private static DateTimeOffset At(JsonNode? timestamp) => DateTimeOffset.Parse((string)timestamp!, CultureInfo.InvariantCulture);

    private static void AssertAttempt(JsonObject attempt, int number, string provider, string outcome, int? code)
    {
        Assert.Equal(number, (int)attempt["number"]!);
        Assert.Equal(provider, (string?)attempt["provider"]);
        Assert.Equal(outcome, (string?)attempt["outcome"]);
        Assert.Equal(code, (int?)attempt["provider_response_code"]);
    }

    [Fact]
    public async Task Success_ProviderCalledByTheDeliveryJob_DeliverySent()
    {
        var p = await NewProjectAsync();
        await SendGridAsync(p);
        var (n, address) = await SendEmailAsync(p, "mail-sg");
        Assert.Equal("processed", (string?)n["status"]);
        var d = Delivery(n, "mail");
        Assert.Equal("sent", (string?)d["status"]);
        Assert.Equal($"msg-{address}", (string?)d["provider_message_id"]);
        Assert.NotNull(d["sent_at"]);
        Assert.Null(d["next_attempt_at"]);
        Assert.Null(d["error"]);
        var attempt = Assert.Single(Attempts(d));
        AssertAttempt(attempt, 1, "sendgrid", "success", 202);
        Assert.Equal(await ChannelId(p, "mail-sg"), (string?)attempt["channel_id"]);
        Assert.Null(attempt["target"]);
        var call = Assert.Single(_providers.Email.CallsFor(address));
        Assert.Equal((string)d["id"]!, call.DeliveryId.ToString());
        Assert.Equal("Hi Jane", (string?)call.Data["subject"]);
        Assert.Equal("SG.abcdefghijklmnop", (string?)call.Config["api_key"]); // the secret, decrypted
        Assert.Equal("ops@example.com", (string?)call.Config["from_email"]);
        Assert.Equal("u1", (string?)call.Recipient["external_id"]);
        Assert.Equal(1, call.AttemptNumber);
    }

    [Fact]
    public async Task Retryable_BacksOff15sThen30s_ThenSent()
    {
        var p = await NewProjectAsync();
        await SendGridAsync(p);
        var start = Host.Time.GetUtcNow();
        var (n, address) = await SendEmailAsync(p, "mail-sg", a => _providers.Email.Script(a, Retryable(503), Retryable(500)));
        var d = Delivery(n, "mail");
        Assert.Equal("processing", (string?)d["status"]);
        AssertAttempt(Assert.Single(Attempts(d)), 1, "sendgrid", "retryable_error", 503);
        Assert.Equal("HTTP 503", (string?)Attempts(d)[0]["error"]);
        Assert.Equal(start + TimeSpan.FromSeconds(15), At(d["next_attempt_at"]));

        d = await AfterAsync(p, n, TimeSpan.FromSeconds(14)); // not due yet
        Assert.Single(Attempts(d));

        d = await AfterAsync(p, n, TimeSpan.FromSeconds(1));
        Assert.Equal("processing", (string?)d["status"]);
        AssertAttempt(Attempts(d)[1], 2, "sendgrid", "retryable_error", 500);
        Assert.Equal(Host.Time.GetUtcNow() + TimeSpan.FromSeconds(30), At(d["next_attempt_at"]));

        d = await AfterAsync(p, n, TimeSpan.FromSeconds(30));
        Assert.Equal("sent", (string?)d["status"]);
        Assert.Null(d["next_attempt_at"]);
        Assert.Equal([1, 2, 3], Attempts(d).Select(a => (int)a["number"]!));
        AssertAttempt(Attempts(d)[2], 3, "sendgrid", "success", 202);
        Assert.Equal([1, 2, 3], _providers.Email.CallsFor(address).Select(c => c.AttemptNumber));
    }
    [Fact]
    public async Task Exhausted_SandboxFailTemporary_EightAttemptsOnTheDocumentedSchedule_ThenFailed()
    {
        var p = await NewProjectAsync();
        await SandboxAsync(p, "flaky", "fail_temporary");
        var (n, _) = await SendEmailAsync(p, "flaky");
        var d = Delivery(n, "mail");
        foreach (var seconds in new[] { 15, 30, 60, 120, 240, 480, 900 }) // 15 s × 2^(n−1), capped at 15 min
        {
            Assert.Equal("processing", (string?)d["status"]);
            Assert.Equal(Host.Time.GetUtcNow() + TimeSpan.FromSeconds(seconds), At(d["next_attempt_at"]));
            d = await AfterAsync(p, n, TimeSpan.FromSeconds(seconds));
        }
        Assert.Equal("failed", (string?)d["status"]);
        Assert.Equal("temporary failure (sandbox simulation)", (string?)d["error"]);
        Assert.Null(d["next_attempt_at"]);
        Assert.Null(d["sent_at"]);
        Assert.Equal(Enumerable.Range(1, 8), Attempts(d).Select(a => (int)a["number"]!));
        Assert.All(Attempts(d), a => AssertAttempt(a, (int)a["number"]!, "sandbox", "retryable_error", null));
        Assert.Equal(0, await Host.DrainAsync());
    }

    [Fact]
    public async Task Permanent_FailsAtOnce()
    {
        var p = await NewProjectAsync();
        await SendGridAsync(p);
        var (n, address) = await SendEmailAsync(p, "mail-sg", a => _providers.Email.Script(a, Permanent(400)));
        var d = Delivery(n, "mail");
        Assert.Equal("failed", (string?)d["status"]);
        Assert.Equal("HTTP 400", (string?)d["error"]);
        Assert.Null(d["next_attempt_at"]);
        AssertAttempt(Assert.Single(Attempts(d)), 1, "sendgrid", "permanent_error", 400);
        Assert.Single(_providers.Email.CallsFor(address));
    }

    [Fact]
    public async Task RetryAfter_LongerThanTheBackoff_Wins()
    {
        var p = await NewProjectAsync();
        await SendGridAsync(p);
        var (n, _) = await SendEmailAsync(p, "mail-sg", a => _providers.Email.Script(a, Retryable(429, TimeSpan.FromMinutes(2))));
        var d = Delivery(n, "mail");
        AssertAttempt(Assert.Single(Attempts(d)), 1, "sendgrid", "retryable_error", 429);
        Assert.Equal(Host.Time.GetUtcNow() + TimeSpan.FromMinutes(2), At(d["next_attempt_at"]));
        Assert.Single(Attempts(await AfterAsync(p, n, TimeSpan.FromSeconds(15))));
        d = await AfterAsync(p, n, TimeSpan.FromSeconds(105));
        Assert.Equal("sent", (string?)d["status"]);
        Assert.Equal(2, Attempts(d).Count);
    }

    [Fact]
    public async Task Failover_AfterPermanent_SameDeliveryThroughTheFallback()
    {
        var p = await NewProjectAsync();
        await SandboxAsync(p, "backup", "sent");
        await SendGridAsync(p, fallback: "backup");
        var (n, address) = await SendEmailAsync(p, "mail-sg", a => _providers.Email.Script(a, Permanent(401)));
        var d = Delivery(n, "mail");
        Assert.Equal("sent", (string?)d["status"]);
        Assert.Null(d["error"]);
        Assert.Equal(await ChannelId(p, "backup"), (string?)d["channel_id"]);
        Assert.Equal("sandbox", (string?)d["provider"]);
        Assert.Equal(address, (string?)d["recipient_address"]);
        Assert.Equal($"sandbox_{d["id"]}", (string?)d["provider_message_id"]);
        var attempts = Attempts(d);
        Assert.Equal(2, attempts.Count);
        AssertAttempt(attempts[0], 1, "sendgrid", "permanent_error", 401);
        Assert.Equal(await ChannelId(p, "mail-sg"), (string?)attempts[0]["channel_id"]);
        AssertAttempt(attempts[1], 2, "sandbox", "success", null);
        Assert.Equal(await ChannelId(p, "backup"), (string?)attempts[1]["channel_id"]);
    }

    [Fact]
    public async Task Failover_AfterExhaustion_FallbackGetsItsFullSchedule()
    {
        var p = await NewProjectAsync();
        await SendGridAsync(p, "backup-sg");
        await SandboxAsync(p, "flaky", "fail_temporary", fallback: "backup-sg");
        var (n, address) = await SendEmailAsync(p, "flaky");
        _providers.Email.Script(address, Retryable(503));
        var d = Delivery(n, "mail");
        foreach (var seconds in new[] { 15, 30, 60, 120, 240, 480, 900 })
        {
            d = await AfterAsync(p, n, TimeSpan.FromSeconds(seconds));
        }
        // Eight sandbox attempts exhausted: failed over at once; the fallback's first attempt is retryable, retried after 15 s.
        Assert.Equal("processing", (string?)d["status"]);
        Assert.Equal(await ChannelId(p, "backup-sg"), (string?)d["channel_id"]);
        Assert.Equal("sendgrid", (string?)d["provider"]);
        Assert.Equal(9, Attempts(d).Count);
        AssertAttempt(Attempts(d)[8], 9, "sendgrid", "retryable_error", 503);
        Assert.Equal(Host.Time.GetUtcNow() + TimeSpan.FromSeconds(15), At(d["next_attempt_at"]));
        d = await AfterAsync(p, n, TimeSpan.FromSeconds(15));
        Assert.Equal("sent", (string?)d["status"]);
        Assert.Equal(["sandbox", "sandbox", "sandbox", "sandbox", "sandbox", "sandbox", "sandbox", "sandbox", "sendgrid", "sendgrid"],
            Attempts(d).Select(a => (string)a["provider"]!));
    }

    [Fact]
    public async Task Failover_FallbackFailsToo_Failed()
    {
        var p = await NewProjectAsync();
        await SandboxAsync(p, "backup", "fail_permanent");
        await SendGridAsync(p, fallback: "backup");
        var (n, _) = await SendEmailAsync(p, "mail-sg", a => _providers.Email.Script(a, Permanent(403)));
        var d = Delivery(n, "mail");
        Assert.Equal("failed", (string?)d["status"]);
        Assert.Equal("permanent failure (sandbox simulation)", (string?)d["error"]);
        Assert.Equal(await ChannelId(p, "backup"), (string?)d["channel_id"]);
        Assert.Equal(["permanent_error", "permanent_error"], Attempts(d).Select(a => (string)a["outcome"]!));
        Assert.Equal(["sendgrid", "sandbox"], Attempts(d).Select(a => (string)a["provider"]!));
    }

    [Fact]
    public async Task MultiTarget_GoneTokenRemoved_RetryableTokenRetriedAlone_Sent()
    {
        var p = await NewProjectAsync();
        await ChannelAsync(p, "push-fcm", """
            {"name": "FCM", "type": "mobile_push", "provider": "fcm",
             "config": {"project_id": "my-proj", "service_account_json": "{\"type\": \"service_account\", \"project_id\": \"my-proj\"}"}}
            """);
        (await Admin(p, HttpMethod.Put, "/admin/v1/users/u1", "{}")).AssertStatus(201);
        var channelId = await ChannelId(p, "push-fcm");
        var suffix = Guid.NewGuid().ToString("N");
        string good = $"good-{suffix}", gone = $"gone-{suffix}", flaky = $"flaky-{suffix}";
        (await Admin(p, HttpMethod.Put, $"/admin/v1/users/u1/channel-settings/{channelId}",
            $$$"""{"settings": {"device_tokens": ["{{{good}}}", "{{{gone}}}", "{{{flaky}}}"]}}""")).AssertStatus(201);
        _providers.Push.Script(gone, Permanent(404, gone: true));
        _providers.Push.Script(flaky, Retryable(503));
        await PublishAsync(p, "mail", Steps(Trigger, Step("mail", "channel", 1, """
            "channel_type": "mobile_push", "channel_handle": "push-fcm", "template": {"data": {"title": "Hi", "body": "Push"}}
            """), End(2)));
        var runId = await RunAsync(p, "mail", """{"recipients": ["u1"]}""");
        await Host.DrainAsync();
        var n = await OnlyNotification(p, runId);
        var d = Delivery(n, "mail");
        Assert.Equal("processing", (string?)d["status"]);
        var first = Attempts(d).ToDictionary(a => (string)a["target"]!, a => (string)a["outcome"]!);
        Assert.Equal(new Dictionary<string, string> { [good] = "success", [gone] = "permanent_error", [flaky] = "retryable_error" }, first);
        Assert.All(Attempts(d), a => Assert.Equal(1, (int)a["number"]!));
        var settings = (await Admin(p, HttpMethod.Get, $"/admin/v1/users/u1/channel-settings/{channelId}")).AssertStatus(200).Body;
        Assert.Equal([good, flaky], settings["settings"]!["device_tokens"]!.AsArray().Select(t => (string)t!));

        d = await AfterAsync(p, n, TimeSpan.FromSeconds(15));
        Assert.Equal("sent", (string?)d["status"]);
        var retry = Assert.Single(Attempts(d), a => (int)a["number"]! == 2);
        Assert.Equal(flaky, (string?)retry["target"]);
        Assert.Equal("success", (string?)retry["outcome"]);
        Assert.Single(_providers.Push.CallsFor(good));
        Assert.Single(_providers.Push.CallsFor(gone));
        Assert.Equal(2, _providers.Push.CallsFor(flaky).Count);
    }

    [Fact]
    public async Task UserDeletedBeforeTheRetry_Failed_ProviderNotCalledAgain()
    {
        var p = await NewProjectAsync();
        await SendGridAsync(p);
        var (n, address) = await SendEmailAsync(p, "mail-sg", a => _providers.Email.Script(a, Retryable(503)));
        Assert.Equal("processing", (string?)Delivery(n, "mail")["status"]);
        (await Admin(p, HttpMethod.Delete, "/admin/v1/users/u1")).AssertStatus(204);
        var d = await AfterAsync(p, n, TimeSpan.FromSeconds(15));
        Assert.Equal("failed", (string?)d["status"]);
        Assert.Equal("user_deleted", (string?)d["error"]);
        Assert.Single(Attempts(d));
        Assert.Single(_providers.Email.CallsFor(address));
    }
    [Fact]
    public async Task RunCancelled_DeliveryAlreadyCreated_KeepsRetrying()
    {
        var p = await NewProjectAsync();
        await SendGridAsync(p);
        var (n, address) = await SendEmailAsync(p, "mail-sg", a => _providers.Email.Script(a, Retryable(503)), waitAfter: true);
        (await Admin(p, HttpMethod.Post, $"/admin/v1/runs/{n["notiflow_run_id"]}/cancel")).AssertStatus(200);
        Assert.Equal("cancelled", (string?)(await Reload(p, n))["status"]);
        var d = await AfterAsync(p, n, TimeSpan.FromSeconds(15));
        Assert.Equal("sent", (string?)d["status"]); // §12.8: existing deliveries are not recalled
        Assert.Equal(2, _providers.Email.CallsFor(address).Count);
    }
    [Fact]
    public async Task MultiTarget_WebPush_GoneSubscriptionDeleted_Sent()
    {
        var p = await NewProjectAsync();
        await ChannelAsync(p, "wp", """
            {"name": "Web push", "type": "web_push", "provider": "webpush", "config": {
             "vapid_public_key": "BEl62iUYgUivxIkv69yViEuiBIa-Ib9-SkvMeAtA3LFgDzkrxZJjSgSnfckjBJuBkr3qBUYIHBQFLXYp5Nksh8U",
             "vapid_private_key": "UUxI4O8-FbRouAevSmBQ6o18hgE4nSG3qwvJTfKc-ls", "vapid_subject": "mailto:ops@example.com"}}
            """);
        (await Admin(p, HttpMethod.Put, "/admin/v1/users/u1", "{}")).AssertStatus(201);
        var path = $"/admin/v1/users/u1/channel-subscriptions/{await ChannelId(p, "wp")}";
        const string Keys = """ "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", "auth": "tBHItJI5svbpez7KI4CCXg" """;
        var kept = (string)(await Admin(p, HttpMethod.Post, path,
            $$$"""{"identifier": "b1", "settings": {"endpoint": "https://push.example.com/send/1", {{{Keys}}}}}""")).AssertStatus(201).Body["id"]!;
        var gone = (string)(await Admin(p, HttpMethod.Post, path,
            $$$"""{"identifier": "b2", "settings": {"endpoint": "https://push.example.com/send/2", {{{Keys}}}}}""")).AssertStatus(201).Body["id"]!;
        _providers.WebPush.Script(gone, Permanent(410, gone: true));
        await PublishAsync(p, "mail", Steps(Trigger, Step("mail", "channel", 1, """
            "channel_type": "web_push", "channel_handle": "wp", "template": {"data": {"title": "Hi", "body": "Push"}}
            """), End(2)));
        var runId = await RunAsync(p, "mail", """{"recipients": ["u1"]}""");
        await Host.DrainAsync();
        var d = Delivery(await OnlyNotification(p, runId), "mail");
        Assert.Equal("sent", (string?)d["status"]);
        var outcomes = Attempts(d).ToDictionary(a => (string)a["target"]!, a => (string)a["outcome"]!);
        Assert.Equal(new Dictionary<string, string> { [kept] = "success", [gone] = "permanent_error" }, outcomes);
        Assert.Equal("https://push.example.com/send/1", (string?)Assert.Single(_providers.WebPush.CallsFor(kept)).TargetSettings!["endpoint"]);
        var left = (await Admin(p, HttpMethod.Get, path)).AssertStatus(200).Body["items"]!.AsArray();
        Assert.Equal([kept], left.Select(s => (string)s!["id"]!));
    }
}

public sealed class SqliteDeliveryLifecycleTests(SqliteDeliveryFixture fixture) : DeliveryLifecycleTests<SqliteDeliveryFixture>(fixture);

public sealed class PostgresDeliveryLifecycleTests(PostgresDeliveryFixture fixture) : DeliveryLifecycleTests<PostgresDeliveryFixture>(fixture);
