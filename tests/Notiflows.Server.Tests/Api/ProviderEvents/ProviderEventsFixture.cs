using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Notiflows.Server.Providers;
using Notiflows.Server.Providers.Events;
using Notiflows.Server.Tests.Engine;
using Notiflows.Server.Tests.Infrastructure;
using Notiflows.Server.Tests.Providers.Events;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Tests.Api.ProviderEvents;

/// <summary>
/// A host whose postmark, mailgun, resend, twilio, sendgrid and ses sends are scripted (so a test gets a <c>sent</c>
/// delivery with the message id it chose, through the real engine), with <c>Notiflows:PublicUrl</c> set as a server behind
/// a proxy would have it, and the <c>sns</c> client's primary handler replaced by <see cref="Sns"/>, which serves a
/// self-signed certificate of <see cref="SnsKey"/> at <see cref="SnsCertUrl"/> and records every request.
/// </summary>
public abstract class ProviderEventsFixture(DbKind kind) : HostFixture(kind)
{
    public const string PublicUrl = "https://notify.example.com";
    public const string SnsCertUrl = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem";

    public Dictionary<string, ScriptedProvider> Senders { get; } =
        new[] { "postmark", "mailgun", "resend", "twilio", "sendgrid", "ses" }
            .ToDictionary(p => p, p => new ScriptedProvider(p), StringComparer.Ordinal);

    /// <summary>The key SNS signs with in these tests.</summary>
    public RSA SnsKey { get; } = RSA.Create(2048);

    /// <summary>The self-signed certificate of <see cref="SnsKey"/>, valid around the test clock (2026-01-15).</summary>
    public string SnsCertificatePem => field ??= Pem(SnsKey);

    public FakeHttpHandler Sns { get; } = new();

    private static string Pem(RSA key)
    {
        using var certificate = SignedEventSigning.SnsCertificate(key,
            new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        return certificate.ExportCertificatePem();
    }

    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["Notiflows:PublicUrl"] = PublicUrl };

    protected override void ConfigureServices(IServiceCollection services)
    {
        foreach (var sender in Senders.Values)
        {
            services.AddSingleton<IChannelProvider>(sender);
        }
        Sns.Serve(SnsCertUrl, SnsCertificatePem);
        services.AddHttpClient(SnsClient.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Sns);
    }
}

public sealed class SqliteProviderEventsFixture() : ProviderEventsFixture(DbKind.Sqlite);

public sealed class PostgresProviderEventsFixture() : ProviderEventsFixture(DbKind.Postgres);
