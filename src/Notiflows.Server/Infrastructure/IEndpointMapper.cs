namespace Notiflows.Server.Infrastructure;

/// <summary>
/// Extra endpoints contributed through DI, mapped inside the normal pipeline (error handling, request ids).
/// The server registers none; the integration tests use it to reach failure paths no real request can.
/// </summary>
public interface IEndpointMapper
{
    void Map(IEndpointRouteBuilder app);
}
