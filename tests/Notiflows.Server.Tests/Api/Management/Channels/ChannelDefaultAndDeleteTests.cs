using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Management.Channels;

/// <summary>Default channels, fallback channels and the delete guards (§5.5, §8.7).</summary>
public abstract class ChannelDefaultAndDeleteTests<TFixture>(TFixture fixture) : ChannelApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    private const string Slack = """{"name": "Slack", "type": "chat", "provider": "slack", "config": {"bot_token": "xoxb-1234567890-abcdef"}}""";
    private const string Discord = """{"name": "Discord", "type": "chat", "provider": "discord"}""";

    private static string Smtp(string? fallback = null) =>
        $$"""{"name": "SMTP", "type": "email", "provider": "smtp", "config": {"host": "smtp.example.com", "from_email": "a@example.com"}{{(fallback is null ? "" : $", \"fallback_channel\": \"{fallback}\"")}}}""";

    [Fact]
    public async Task PutChannel_FirstChannelOfAType_BecomesDefault()
    {
        var p = await NewProjectAsync();
        (await Mgmt(HttpMethod.Delete, $"{p.Base}/channels/chat-sandbox")).AssertStatus(204);
        Assert.True((bool)(await PutChannel(p, "slack", Slack)).AssertStatus(201).Body["default"]!);
        Assert.False((bool)(await PutChannel(p, "discord", Discord)).AssertStatus(201).Body["default"]!);
        Assert.Equal(["slack"], await DefaultsOf(p, "chat"));
    }

    [Fact]
    public async Task PutChannel_DefaultTrue_MovesTheFlag()
    {
        var p = await NewProjectAsync();
        var created = (await PutChannel(p, "discord", Discord.Replace("}", ", \"default\": true}", StringComparison.Ordinal))).AssertStatus(201).Body;
        Assert.True((bool)created["default"]!);
        Assert.Equal(["discord"], await DefaultsOf(p, "chat"));
        (await PutChannel(p, "slack", Slack)).AssertStatus(201);
        Assert.True((bool)(await PutChannel(p, "slack", """{"default": true}""")).AssertStatus(200).Body["default"]!);
        Assert.Equal(["slack"], await DefaultsOf(p, "chat"));
        // default:true on the current default, and default:false on a non-default, change nothing.
        (await PutChannel(p, "slack", """{"default": true}""")).AssertStatus(200);
        Assert.False((bool)(await PutChannel(p, "discord", """{"default": false}""")).AssertStatus(200).Body["default"]!);
        Assert.Equal(["slack"], await DefaultsOf(p, "chat"));
        Assert.Equal(["email-sandbox"], await DefaultsOf(p, "email"));
    }

    [Fact]
    public async Task PutChannel_ConcurrentDefaultTrue_LeavesExactlyOneDefault()
    {
        var p = await NewProjectAsync();
        var handles = Enumerable.Range(0, 6).Select(i => $"discord-{i}").ToList();
        foreach (var handle in handles)
        {
            (await PutChannel(p, handle, Discord)).AssertStatus(201);
        }
        var responses = await Task.WhenAll(handles.Select(h => PutChannel(p, h, """{"default": true}""")));
        Assert.All(responses, r => r.AssertStatus(200));
        Assert.Single(await DefaultsOf(p, "chat"));
    }

    [Fact]
    public async Task PutChannel_DefaultFalseOnTheCurrentDefault_Returns422NotAllowed()
    {
        var p = await NewProjectAsync();
        (await PutChannel(p, "chat-sandbox", """{"default": false}""")).AssertError(422, "validation_failed", "default", "not_allowed");
        Assert.Equal(["chat-sandbox"], await DefaultsOf(p, "chat"));
    }

    [Fact]
    public async Task DeleteChannel_TheDefault_PromotesTheOldestRemaining()
    {
        var p = await NewProjectAsync();
        (await PutChannel(p, "slack", Slack)).AssertStatus(201);
        (await PutChannel(p, "discord", Discord)).AssertStatus(201);
        (await PutChannel(p, "discord", """{"default": true}""")).AssertStatus(200);
        (await Mgmt(HttpMethod.Delete, $"{p.Base}/channels/discord")).AssertStatus(204);
        Assert.Equal(["chat-sandbox"], await DefaultsOf(p, "chat")); // the built-in is the oldest
        (await Mgmt(HttpMethod.Delete, $"{p.Base}/channels/chat-sandbox")).AssertStatus(204);
        Assert.Equal(["slack"], await DefaultsOf(p, "chat"));
        (await Mgmt(HttpMethod.Get, $"{p.Base}/channels/chat-sandbox")).AssertError(404, "not_found");
        (await Mgmt(HttpMethod.Delete, $"{p.Base}/channels/slack")).AssertStatus(204);
        Assert.Empty(await AllChannels(p, "chat"));
    }

    [Fact]
    public async Task PutChannel_FallbackChannel_IsSetAndCleared()
    {
        var p = await NewProjectAsync();
        (await PutChannel(p, "smtp", Smtp())).AssertStatus(201);
        var withFallback = (await PutChannel(p, "sendgrid", SendGrid().Replace("\"config\"", "\"fallback_channel\": \"smtp\", \"config\"", StringComparison.Ordinal)))
            .AssertStatus(201).Body;
        Assert.Equal("smtp", (string?)withFallback["fallback_channel"]);
        Assert.Equal("smtp", (string?)(await PutChannel(p, "sendgrid", """{"name": "kept"}""")).AssertStatus(200).Body["fallback_channel"]);
        Assert.Null((await PutChannel(p, "sendgrid", """{"fallback_channel": null}""")).AssertStatus(200).Body["fallback_channel"]);
    }

    [Fact]
    public async Task PutChannel_BadFallbackChannel_Returns422Invalid()
    {
        var p = await NewProjectAsync();
        (await PutChannel(p, "smtp", Smtp())).AssertStatus(201);
        (await PutChannel(p, "sendgrid", SendGrid())).AssertStatus(201);
        (await PutChannel(p, "sendgrid", """{"fallback_channel": "sendgrid"}""")).AssertError(422, "validation_failed", "fallback_channel", "invalid");
        (await PutChannel(p, "sendgrid", """{"fallback_channel": "sms-sandbox"}""")).AssertError(422, "validation_failed", "fallback_channel", "invalid");
        (await PutChannel(p, "sendgrid", """{"fallback_channel": "nope"}""")).AssertError(422, "validation_failed", "fallback_channel", "invalid");
        (await PutChannel(p, "new-self", Smtp("new-self"))).AssertError(422, "validation_failed", "fallback_channel", "invalid");

        (await PutChannel(p, "sendgrid", """{"fallback_channel": "smtp"}""")).AssertStatus(200);
        // No chains: the fallback cannot itself have one, and a channel used as a fallback cannot get one.
        (await PutChannel(p, "smtp", """{"fallback_channel": "sendgrid"}""")).AssertError(422, "validation_failed", "fallback_channel", "invalid");
        (await PutChannel(p, "smtp", """{"fallback_channel": "email-sandbox"}""")).AssertError(422, "validation_failed", "fallback_channel", "invalid");
        (await PutChannel(p, "email-sandbox", """{"fallback_channel": "sendgrid"}""")).AssertError(422, "validation_failed", "fallback_channel", "invalid");
        (await PutChannel(p, "third", Smtp("sendgrid"))).AssertError(422, "validation_failed", "fallback_channel", "invalid");
        // Several channels may share one fallback.
        (await PutChannel(p, "email-sandbox", """{"fallback_channel": "smtp"}""")).AssertStatus(200);
    }

    [Fact]
    public async Task DeleteChannel_UsedAsFallback_Returns409UntilTheReferenceIsRemoved()
    {
        var p = await NewProjectAsync();
        (await PutChannel(p, "smtp", Smtp())).AssertStatus(201);
        (await PutChannel(p, "email-sandbox", """{"fallback_channel": "smtp"}""")).AssertStatus(200);
        var error = (await Mgmt(HttpMethod.Delete, $"{p.Base}/channels/smtp")).AssertError(409, "conflict");
        Assert.Equal("used_as_fallback", (string?)error["details"]!["reason"]);
        (await PutChannel(p, "email-sandbox", """{"fallback_channel": null}""")).AssertStatus(200);
        (await Mgmt(HttpMethod.Delete, $"{p.Base}/channels/smtp")).AssertStatus(204);
    }

    [Fact]
    public async Task DeleteChannel_ReferencedByAPublishedNotiflow_Returns409ChannelInUse()
    {
        var p = await NewProjectAsync();
        (await PutChannel(p, "smtp", Smtp())).AssertStatus(201);
        (await Mgmt(HttpMethod.Put, $"{p.Base}/notiflows/welcome", NotiflowUsing("smtp"))).AssertStatus(201);
        (await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/welcome/publish")).AssertStatus(200);
        var error = (await Mgmt(HttpMethod.Delete, $"{p.Base}/channels/smtp")).AssertError(409, "conflict");
        Assert.Equal("channel_in_use", (string?)error["details"]!["reason"]);
        Assert.NotNull(error["details"]!["id"]);
        // By id as well.
        var id = (string)(await GetChannel(p, "smtp"))["id"]!;
        (await Mgmt(HttpMethod.Delete, $"{p.Base}/channels/{id}")).AssertError(409, "conflict");
        await GetChannel(p, "smtp");
    }

    [Fact]
    public async Task DeleteChannel_ReferencedOnlyByADraft_Returns204()
    {
        var p = await NewProjectAsync();
        (await PutChannel(p, "smtp", Smtp())).AssertStatus(201);
        (await Mgmt(HttpMethod.Put, $"{p.Base}/notiflows/draft-only", NotiflowUsing("smtp"))).AssertStatus(201);
        (await Mgmt(HttpMethod.Delete, $"{p.Base}/channels/smtp")).AssertStatus(204);
    }

    [Fact]
    public async Task DeleteChannel_ReferencedByAnArchivedNotiflow_Returns204()
    {
        var p = await NewProjectAsync();
        (await PutChannel(p, "smtp", Smtp())).AssertStatus(201);
        (await Mgmt(HttpMethod.Put, $"{p.Base}/notiflows/old", NotiflowUsing("smtp"))).AssertStatus(201);
        (await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/old/publish")).AssertStatus(200);
        (await Mgmt(HttpMethod.Delete, $"{p.Base}/channels/smtp")).AssertError(409, "conflict");
        (await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/old/archive")).AssertStatus(200);
        (await Mgmt(HttpMethod.Delete, $"{p.Base}/channels/smtp")).AssertStatus(204);
    }

    [Fact]
    public async Task DeleteChannel_LastOfItsTypeUsedWithoutHandle_Returns409ChannelInUse()
    {
        var p = await NewProjectAsync();
        (await Mgmt(HttpMethod.Put, $"{p.Base}/notiflows/by-type", NotiflowUsing(null))).AssertStatus(201);
        (await Mgmt(HttpMethod.Post, $"{p.Base}/notiflows/by-type/publish")).AssertStatus(200);
        (await PutChannel(p, "smtp", Smtp())).AssertStatus(201);
        (await Mgmt(HttpMethod.Delete, $"{p.Base}/channels/email-sandbox")).AssertStatus(204); // smtp remains
        var error = (await Mgmt(HttpMethod.Delete, $"{p.Base}/channels/smtp")).AssertError(409, "conflict");
        Assert.Equal("channel_in_use", (string?)error["details"]!["reason"]);
    }

    private static string NotiflowUsing(string? channelHandle) => $$"""
        {"name": "Uses a channel", "steps": [
          {"handle": "trigger", "type": "trigger", "position": 0},
          {"handle": "email", "type": "channel", "position": 1, "channel_type": "email"{{(channelHandle is null ? "" : $", \"channel_handle\": \"{channelHandle}\"")}}},
          {"handle": "end", "type": "end", "position": 2}
        ]}
        """;
}

public sealed class SqliteChannelDefaultAndDeleteTests(SqliteFixture fixture) : ChannelDefaultAndDeleteTests<SqliteFixture>(fixture);

public sealed class PostgresChannelDefaultAndDeleteTests(PostgresFixture fixture) : ChannelDefaultAndDeleteTests<PostgresFixture>(fixture);
