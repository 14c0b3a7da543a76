using Microsoft.Net.Http.Headers;
using Notiflows.Server.Errors;

namespace Notiflows.Server.Sdk;

/// <summary>
/// The JavaScript client and the <c>&lt;notiflows-inbox&gt;</c> element, served as is under <c>/sdk/</c> (the files of
/// src/Notiflows.Server/Sdk, embedded in the assembly). Web apps import them cross-origin as ES modules, which browsers
/// fetch in CORS mode: the files are public, so any origin may read them. Revalidated by ETag; unknown files are 404s.
/// </summary>
public static class SdkEndpoints
{
    public const string ContentType = "text/javascript; charset=utf-8";

    /// <summary>Browsers reuse a file for five minutes, then revalidate it (a 304 while the server runs the same SDK).</summary>
    public const string CacheControl = "public, must-revalidate, max-age=300";

    private static readonly Lazy<IReadOnlyDictionary<string, SdkFile>> Files = new(SdkFile.LoadAll);

    public static void MapSdk(this IEndpointRouteBuilder app) =>
        app.MapMethods("/sdk/{file}", [HttpMethods.Get, HttpMethods.Head], Serve).WithName("SdkFile").WithTags("SDK")
            .WithSummary("A file of the JavaScript SDK (notiflows.js, notiflows-inbox.js).").ExcludeFromDescription();

    private static IResult Serve(string file, HttpContext http)
    {
        if (!Files.Value.TryGetValue(file, out var sdk))
        {
            return ApiError.NotFound("sdk_file", file, "SDK file not found");
        }
        var headers = http.Response.Headers;
        headers.ETag = sdk.ETag;
        headers.CacheControl = CacheControl;
        headers.AccessControlAllowOrigin = "*";
        headers.XContentTypeOptions = "nosniff";
        var ifNoneMatch = http.Request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(new EntityTagHeaderValue(sdk.ETag), useStrongComparison: false)))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Bytes(sdk.Content, ContentType);
    }
}
