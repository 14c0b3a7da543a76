using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Notiflows.Server.Infrastructure;

/// <summary>
/// Documents a JSON request body in the OpenAPI document without <c>Accepts</c> metadata, which would make routing
/// answer 415 to a body sent with another Content-Type — the spec parses bodies regardless of Content-Type (§4.1).
/// </summary>
public sealed record RequestBodyDoc(Type Type);

public static class RequestBodyDocs
{
    public static RouteHandlerBuilder WithRequestBody<T>(this RouteHandlerBuilder builder) => builder.WithMetadata(new RequestBodyDoc(typeof(T)));

    public static void AddRequestBodyDocs(this OpenApiOptions options) =>
        options.AddOperationTransformer(async (operation, context, ct) =>
        {
            var doc = context.Description.ActionDescriptor.EndpointMetadata.OfType<RequestBodyDoc>().FirstOrDefault();
            if (doc is null)
            {
                return;
            }
            var schema = await context.GetOrCreateSchemaAsync(doc.Type, null, ct);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = false,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
            };
        });
}
