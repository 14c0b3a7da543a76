using Notiflows.Server;
using Notiflows.Server.Startup;

try
{
    // Settings files live next to the binary; the working directory is only where ./data goes.
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.AddNotiflowsServer();
    var app = builder.Build();
    app.UseNotiflowsServer();
    await app.RunAsync();
    return 0;
}
catch (StartupRefusedException ex)
{
    await Console.Error.WriteLineAsync($"notiflows: {ex.Message}");
    return 2;
}

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
