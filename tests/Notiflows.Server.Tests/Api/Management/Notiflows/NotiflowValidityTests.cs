using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Api.Management.Notiflows;

/// <summary><c>valid</c> (§5.10, §9.6) follows the project's current channels, not the state at upsert time.</summary>
public abstract class NotiflowValidityTests<TFixture>(TFixture fixture) : NotiflowApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    private const string MailStep = """
        {"handle": "email_1", "type": "channel", "channel_type": "email", "channel_handle": "mail",
         "template": {"data": {"subject": "S", "body": "B"}}}
        """;

    [Fact]
    public async Task Valid_FollowsTheProjectsChannels()
    {
        var p = await NewProjectAsync();
        var created = await CreateFlowAsync(p, "flow", Flows.Steps(MailStep));
        Assert.False((bool)created["current_version"]!["valid"]!);
        (await PostFlow(p, "flow", "publish")).AssertError(422, "validation_failed", "steps[1].channel_handle", "invalid");

        // A channel named "mail" of another type does not help.
        (await Mgmt(HttpMethod.Put, $"{p.Base}/channels/mail", """{"name": "Mail", "type": "sms", "provider": "sandbox"}""")).AssertStatus(201);
        Assert.False((bool)(await GetFlowAsync(p, "flow"))["current_version"]!["valid"]!);
        (await Mgmt(HttpMethod.Delete, $"{p.Base}/channels/mail")).AssertStatus(204);

        (await Mgmt(HttpMethod.Put, $"{p.Base}/channels/mail", """{"name": "Mail", "type": "email", "provider": "sandbox"}""")).AssertStatus(201);

        var flow = await GetFlowAsync(p, "flow");
        Assert.True((bool)flow["current_version"]!["valid"]!);
        Assert.True((bool)(await GetVersionAsync(p, "flow", 1))["valid"]!);
        var versions = (await Mgmt(HttpMethod.Get, $"{p.Base}/notiflows/flow/versions")).AssertStatus(200).Body;
        Assert.True((bool)versions["items"]![0]!["valid"]!);
        Assert.True((bool)(await PostFlow(p, "flow", "validate")).AssertStatus(200).Body["valid"]!);
        Assert.Equal(Flows.Sha(created), Flows.Sha(flow));
        await PublishAsync(p, "flow");
    }

    [Fact]
    public async Task Valid_WithoutChannelHandle_NeedsAChannelOfTheType()
    {
        var p = await NewProjectAsync();
        var created = await CreateFlowAsync(p, "flow", Flows.Steps(Flows.EmailWithTemplate()));
        Assert.True((bool)created["current_version"]!["valid"]!);

        (await Mgmt(HttpMethod.Delete, $"{p.Base}/channels/email-sandbox")).AssertStatus(204);

        Assert.False((bool)(await GetFlowAsync(p, "flow"))["current_version"]!["valid"]!);
        (await PostFlow(p, "flow", "publish")).AssertError(422, "validation_failed", "steps[1].channel_type", "invalid");
    }
}

public sealed class SqliteNotiflowValidityTests(SqliteFixture fixture) : NotiflowValidityTests<SqliteFixture>(fixture);

public sealed class PostgresNotiflowValidityTests(PostgresFixture fixture) : NotiflowValidityTests<PostgresFixture>(fixture);
