using Notiflows.Server.Api.Admin;
using Notiflows.Server.Api.Management;
using Notiflows.Server.Api.Management.Projects;
using Notiflows.Server.Api.ProviderEvents;
using Notiflows.Server.Api.User;
using Notiflows.Server.Api.UserSettings;
using Notiflows.Server.Auth;
using Notiflows.Server.Errors;
using Notiflows.Server.Health;
using Notiflows.Server.Infrastructure;
using Notiflows.Server.RateLimits;
using Notiflows.Server.Realtime;
using Notiflows.Server.Sdk;
using Notiflows.Server.Startup;
using Notiflows.Server.Workers;
using Notiflows.Storage.Database;
using Notiflows.Storage.Migrations;
using Scalar.AspNetCore;

namespace Notiflows.Server;

/// <summary>All of the server's wiring, so Program.cs stays a few lines.</summary>
public static class ServerSetup
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public static WebApplicationBuilder AddNotiflowsServer(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        var settings = ServerSettings.From(builder.Configuration);
        var services = builder.Services;
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => new Db(DatabaseSettings.Resolve(settings.DatabaseUrl, settings.DataDir)));
        services.AddSingleton<Migrator>();
        services.AddSingleton<GroupCommit>();
        services.AddSingleton<MasterKey>();
        services.AddSingleton<IdGenerator>();
        services.AddSingleton<RateLimiter>();
        services.AddSingleton<KeyCache>();
        services.AddSingleton<UserAuth>();
        services.AddSingleton<FeedSocket>();
        services.AddSingleton<ProjectCreator>();
        services.AddSingleton<Bootstrapper>();
        services.AddHostedService<StartupService>();
        services.AddManagementServices();
        services.AddUserSettings();
        services.AddEngine();
        services.ConfigureHttpJsonOptions(o => JsonDefaults.Configure(o.SerializerOptions));
        services.AddOpenApi("v1", OpenApiSetup.Configure);
        return builder;
    }

    public static WebApplication UseNotiflowsServer(this WebApplication app)
    {
        app.UseMiddleware<ProtocolMiddleware>();
        app.UseMiddleware<UserCors>();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        app.UseRouting();
        app.MapHealth();
        app.MapOpenApi("/openapi/{documentName}.json").ExcludeFromDescription();
        app.MapScalarApiReference("/docs", o => o.WithTitle("Notiflows API").WithOpenApiRoutePattern("/openapi/{documentName}.json"))
            .ExcludeFromDescription();
        app.MapManagementApi();
        app.MapAdminApi();
        app.MapUserApi();
        app.MapFeedStream();
        FeedSocket.Map(app);
        app.MapSdk();
        app.MapProviderEvents();
        foreach (var mapper in app.Services.GetServices<IEndpointMapper>())
        {
            mapper.Map(app);
        }
        return app;
    }
}
