using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Management.Channels;

/// <summary>Built-in channels (§14.1), listing and reading channels of the Management API (§8.7).</summary>
public abstract class ChannelListTests<TFixture>(TFixture fixture) : ChannelApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    private static readonly (string Handle, string Type, string Provider)[] BuiltIns =
    [
        ("chat-sandbox", "chat", "sandbox"), ("email-sandbox", "email", "sandbox"), ("in-app", "in_app", "in_app"),
        ("mobile-push-sandbox", "mobile_push", "sandbox"), ("sms-sandbox", "sms", "sandbox"), ("web-push-sandbox", "web_push", "sandbox"),
        ("webhook-sandbox", "webhook", "sandbox"),
    ];

    [Fact]
    public async Task NewProject_HasTheSevenBuiltInChannels_OrderedByHandle()
    {
        var p = await NewProjectAsync();
        var page = (await Mgmt(HttpMethod.Get, $"{p.Base}/channels")).AssertStatus(200).Body;
        var items = page["items"]!.AsArray().Select(i => i!.AsObject()).ToList();
        Assert.Equal(BuiltIns, items.Select(c => ((string)c["handle"]!, (string)c["type"]!, (string)c["provider"]!)));
        Assert.All(items, c =>
        {
            Assert.Equal(
                ["id", "handle", "name", "type", "provider", "default", "built_in", "config", "fallback_channel", "created_at", "updated_at"],
                c.Select(kv => kv.Key));
            Assert.True((bool)c["default"]!);
            Assert.True((bool)c["built_in"]!);
            Assert.Null(c["fallback_channel"]);
            Assert.NotNull(c["config"] as System.Text.Json.Nodes.JsonObject);
            Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", (string?)c["id"]);
        });
        Assert.Equal(1, (int)page["page_info"]!["page"]!);
        Assert.Equal(25, (int)page["page_info"]!["limit"]!);
        Assert.Equal(7, (int)page["page_info"]!["total_count"]!);
        Assert.Equal(1, (int)page["page_info"]!["total_pages"]!);
    }

    [Fact]
    public async Task ListChannels_PageNumberPaging_ReturnsTheRequestedSlice()
    {
        var p = await NewProjectAsync();
        var second = (await Mgmt(HttpMethod.Get, $"{p.Base}/channels?page=2&limit=3")).AssertStatus(200).Body;
        Assert.Equal(["mobile-push-sandbox", "sms-sandbox", "web-push-sandbox"], second["items"]!.AsArray().Select(c => (string)c!["handle"]!));
        Assert.Equal(2, (int)second["page_info"]!["page"]!);
        Assert.Equal(3, (int)second["page_info"]!["limit"]!);
        Assert.Equal(7, (int)second["page_info"]!["total_count"]!);
        Assert.Equal(3, (int)second["page_info"]!["total_pages"]!);

        var past = (await Mgmt(HttpMethod.Get, $"{p.Base}/channels?page=9&limit=3")).AssertStatus(200).Body;
        Assert.Empty(past["items"]!.AsArray());

        var clamped = (await Mgmt(HttpMethod.Get, $"{p.Base}/channels?limit=1000")).AssertStatus(200).Body;
        Assert.Equal(100, (int)clamped["page_info"]!["limit"]!);

        var bad = (await Mgmt(HttpMethod.Get, $"{p.Base}/channels?page=0")).AssertError(400, "bad_request");
        Assert.Equal("invalid_param", (string?)bad["details"]!["reason"]);
        Assert.Equal("page", (string?)bad["details"]!["param"]);
    }

    [Fact]
    public async Task ListChannels_OrderedByHandleBytes_WhateverTheDatabaseCollation()
    {
        var p = await NewProjectAsync();
        foreach (var handle in new[] { "ab", "a-c", "a_d", "a1" })
        {
            (await PutChannel(p, handle, """{"name": "x", "type": "chat", "provider": "discord"}""")).AssertStatus(201);
        }
        var chats = (await AllChannels(p, "chat")).Select(c => (string)c["handle"]!).ToList();
        Assert.Equal(["a-c", "a1", "a_d", "ab", "chat-sandbox"], chats);
    }

    [Fact]
    public async Task ListChannels_TypeFilter_ReturnsOnlyThatType()
    {
        var p = await NewProjectAsync();
        (await PutChannel(p, "sendgrid", SendGrid())).AssertStatus(201);
        var emails = (await Mgmt(HttpMethod.Get, $"{p.Base}/channels?type=email")).AssertStatus(200).Body;
        Assert.Equal(["email-sandbox", "sendgrid"], emails["items"]!.AsArray().Select(c => (string)c!["handle"]!));
        Assert.Equal(2, (int)emails["page_info"]!["total_count"]!);

        var bad = (await Mgmt(HttpMethod.Get, $"{p.Base}/channels?type=fax")).AssertError(400, "bad_request");
        Assert.Equal("invalid_param", (string?)bad["details"]!["reason"]);
        Assert.Equal("type", (string?)bad["details"]!["param"]);
    }

    [Fact]
    public async Task GetChannel_ByHandleAndById_ReturnsTheSameChannel()
    {
        var p = await NewProjectAsync();
        var byHandle = await GetChannel(p, "email-sandbox");
        var id = (string)byHandle["id"]!;
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(byHandle, await GetChannel(p, id)));
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(byHandle, await GetChannel(p, id.ToUpperInvariant())));
        // The unprefixed form with the project header reads the same channel.
        var unprefixed = (await Mgmt(HttpMethod.Get, "/management/v1/channels/email-sandbox",
            headers: new Dictionary<string, string> { ["x-notiflows-project"] = p.Slug })).AssertStatus(200).Body;
        Assert.Equal(id, (string?)unprefixed["id"]);
    }

    [Fact]
    public async Task GetChannel_Unknown_Returns404Channel()
    {
        var p = await NewProjectAsync();
        var error = (await Mgmt(HttpMethod.Get, $"{p.Base}/channels/nope")).AssertError(404, "not_found");
        Assert.Equal("channel", (string?)error["details"]!["resource"]);
        Assert.Equal("nope", (string?)error["details"]!["id"]);
        var uuid = Guid.CreateVersion7().ToString();
        Assert.Equal("channel", (string?)(await Mgmt(HttpMethod.Get, $"{p.Base}/channels/{uuid}")).AssertError(404, "not_found")["details"]!["resource"]);
        Assert.Equal("channel", (string?)(await Mgmt(HttpMethod.Delete, $"{p.Base}/channels/nope")).AssertError(404, "not_found")["details"]!["resource"]);
    }

    [Fact]
    public async Task GetChannel_IdOfAnotherProject_Returns404()
    {
        var a = await NewProjectAsync();
        var b = await NewProjectAsync();
        var idInB = (string)(await GetChannel(b, "in-app"))["id"]!;
        (await Mgmt(HttpMethod.Get, $"{a.Base}/channels/{idInB}")).AssertError(404, "not_found");
        (await Mgmt(HttpMethod.Delete, $"{a.Base}/channels/{idInB}")).AssertError(404, "not_found");
        await GetChannel(b, idInB);
    }

    [Fact]
    public async Task ChannelEndpoints_UnknownProject_Returns404Project()
    {
        var error = (await Mgmt(HttpMethod.Get, "/management/v1/projects/no-such-project/channels")).AssertError(404, "not_found");
        Assert.Equal("project", (string?)error["details"]!["resource"]);
        Assert.Equal("no-such-project", (string?)error["details"]!["id"]);
    }

    [Theory]
    [InlineData("Email-Main")]
    [InlineData("email--main")]
    [InlineData("email_")]
    [InlineData("-email")]
    [InlineData("email.main")]
    [InlineData("email%0A")] // a trailing newline must not pass the pattern
    [InlineData("ema%20il")]
    public async Task PutChannel_BadHandle_Returns422Format(string handle)
    {
        var p = await NewProjectAsync();
        (await PutChannel(p, handle, SendGrid())).AssertError(422, "validation_failed", "handle", "format");
    }

    [Fact]
    public async Task PutChannel_HandleTooLong_Returns422Format()
    {
        var p = await NewProjectAsync();
        (await PutChannel(p, new string('a', 101), SendGrid())).AssertError(422, "validation_failed", "handle", "format");
        (await PutChannel(p, new string('a', 100), SendGrid())).AssertStatus(201);
    }

    [Fact]
    public async Task PutChannel_UuidShapedNewHandle_Returns404BecauseUuidsAreIds()
    {
        var p = await NewProjectAsync();
        var uuid = Guid.CreateVersion7().ToString();
        var error = (await PutChannel(p, uuid, SendGrid())).AssertError(404, "not_found");
        Assert.Equal("channel", (string?)error["details"]!["resource"]);
        Assert.DoesNotContain(await AllChannels(p), c => (string?)c["handle"] == uuid);
    }

    [Fact]
    public async Task PutChannel_ById_UpdatesThatChannel()
    {
        var p = await NewProjectAsync();
        var id = (string)(await GetChannel(p, "sms-sandbox"))["id"]!;
        var updated = (await PutChannel(p, id, """{"name": "Texts"}""")).AssertStatus(200).Body;
        Assert.Equal("sms-sandbox", (string?)updated["handle"]);
        Assert.Equal("Texts", (string?)updated["name"]);
    }
}

public sealed class SqliteChannelListTests(SqliteFixture fixture) : ChannelListTests<SqliteFixture>(fixture);

public sealed class PostgresChannelListTests(PostgresFixture fixture) : ChannelListTests<PostgresFixture>(fixture);
