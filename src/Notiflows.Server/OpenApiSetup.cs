using Microsoft.AspNetCore.OpenApi;
using Notiflows.Server.Infrastructure;

namespace Notiflows.Server;

/// <summary>The OpenAPI document's metadata and security schemes.</summary>
internal static class OpenApiSetup
{
    public static void Configure(OpenApiOptions options)
    {
        options.AddRequestBodyDocs();
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Notiflows API";
            document.Info.Version = "v1";
            document.Info.Description =
                "Management, Admin and User APIs of the self-hosted Notiflows server. Errors use one envelope: " +
                "{\"error\": {type, code, message, status, request_id, details}}.";
            return Task.CompletedTask;
        });
    }
}
