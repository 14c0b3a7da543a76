namespace Notiflows.Server.Api;

/// <summary>Unique endpoint names when one handler is mapped under several path forms and aliases.</summary>
public sealed record RouteNames(string Suffix)
{
    public string Of(string name) => name + Suffix;

    public RouteNames With(string suffix) => new(Suffix + suffix);
}
