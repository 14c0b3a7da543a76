using Notiflows.Server;
using Notiflows.Server.Startup;

try
{
    var builder = WebApplication.CreateBuilder(args);
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
