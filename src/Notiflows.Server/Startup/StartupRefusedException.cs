namespace Notiflows.Server.Startup;

/// <summary>A configuration problem that must stop the server with a clear message and a non-zero exit code.</summary>
public sealed class StartupRefusedException(string message) : Exception(message);
