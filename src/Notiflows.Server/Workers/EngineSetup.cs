using Notiflows.Server.Api.Runs;
using Notiflows.Core.Delivery;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.Providers;
using Notiflows.Server.Providers.Email;
using Notiflows.Server.Providers.Push;
using Notiflows.Server.Providers.Chat;
using Notiflows.Server.Providers.Events;
using Notiflows.Server.Realtime;
using Notiflows.Server.Users;

namespace Notiflows.Server.Workers;

/// <summary>The run engine's services: run acceptance, the job processor and this node's workers.</summary>
public static class EngineSetup
{
    public static IServiceCollection AddEngine(this IServiceCollection services)
    {
        services.AddSingleton<UserWriter>();
        services.AddSingleton<UserEraser>();
        services.AddSingleton<RunAcceptor>();
        services.AddSingleton<JobSignal>();
        services.AddSingleton<VersionCache>();
        services.AddSingleton<DigestKeeper>();
        services.AddSingleton<RunFinalizer>();
        services.AddSingleton<RunStarter>();
        services.AddSingleton<NotificationBatch>();
        services.AddSingleton<DeliverySender>();
        services.AddSingleton<RetryJitter>();
        services.AddCoreProviders();
        services.AddSingleton<JobProcessor>();
        services.AddSingleton<JobDrain>();
        services.AddHostedService<JobWorkers>();
        services.AddSingleton<FeedHub>();
        services.AddHostedService(sp => sp.GetRequiredService<FeedHub>());
        services.AddSingleton<FeedPublisher>();
        services.AddHostedService<PgListener>();
        services.AddEmailProviders();
        services.AddPushProviders();
        services.AddChatProviders();
        services.AddProviderEvents();
        return services;
    }
}
