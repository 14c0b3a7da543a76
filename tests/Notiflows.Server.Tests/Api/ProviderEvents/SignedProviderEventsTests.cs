namespace Notiflows.Server.Tests.Api.ProviderEvents;

/// <summary>
/// The signed providers on the endpoint (§14.4): Mailgun (HMAC in the body), Resend (Svix headers) and Twilio
/// (<c>X-Twilio-Signature</c> over the public URL and form). Each request is signed here the way the provider documents it.
/// </summary>
public abstract partial class SignedProviderEventsTests<TFixture>(TFixture fixture) : ProviderEventsTestBase<TFixture>(fixture)
    where TFixture : ProviderEventsFixture
{
}

public sealed class SqliteSignedProviderEventsTests(SqliteProviderEventsFixture f) : SignedProviderEventsTests<SqliteProviderEventsFixture>(f);

public sealed class PostgresSignedProviderEventsTests(PostgresProviderEventsFixture f) : SignedProviderEventsTests<PostgresProviderEventsFixture>(f);
