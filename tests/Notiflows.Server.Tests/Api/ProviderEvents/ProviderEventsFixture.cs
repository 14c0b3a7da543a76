using Microsoft.Extensions.DependencyInjection;
using Notiflows.Server.Providers;
using Notiflows.Server.Tests.Engine;
using Notiflows.Server.Tests.Infrastructure;
using Notiflows.Storage.Database;

namespace Notiflows.Server.Tests.Api.ProviderEvents;

/// <summary>
/// A host whose postmark, mailgun, resend and twilio sends are scripted (so a test gets a <c>sent</c> delivery with the message
/// id it chose, through the real engine), with <c>Notiflows:PublicUrl</c> set as a server behind a proxy would have it.
/// </summary>
public abstract class ProviderEventsFixture(DbKind kind) : HostFixture(kind)
{
    public const string PublicUrl = "https://notify.example.com";

    public Dictionary<string, ScriptedProvider> Senders { get; } =
        new[] { "postmark", "mailgun", "resend", "twilio" }.ToDictionary(p => p, p => new ScriptedProvider(p), StringComparer.Ordinal);

    protected override IReadOnlyDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["Notiflows:PublicUrl"] = PublicUrl };

    protected override void ConfigureServices(IServiceCollection services)
    {
        foreach (var sender in Senders.Values)
        {
            services.AddSingleton<IChannelProvider>(sender);
        }
    }
}

public sealed class SqliteProviderEventsFixture() : ProviderEventsFixture(DbKind.Sqlite);

public sealed class PostgresProviderEventsFixture() : ProviderEventsFixture(DbKind.Postgres);
