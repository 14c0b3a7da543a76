using System.Security.Cryptography;

namespace Notiflows.Server.Infrastructure;

/// <summary>The request id (§4.5): the client's <c>x-request-id</c> when well-formed, else <c>req_</c> + 32 hex.</summary>
public static class RequestIds
{
    public const string Header = "x-request-id";
    private const string ItemKey = "notiflows.request_id";

    public static string Get(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var id) && id is string s ? s : Assign(context);

    public static string Assign(HttpContext context)
    {
        var incoming = context.Request.Headers[Header].ToString();
        var id = IsValid(incoming) ? incoming : "req_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        context.Items[ItemKey] = id;
        context.Response.Headers[Header] = id;
        return id;
    }

    private static bool IsValid(string value) =>
        value.Length is >= 1 and <= 200 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-');
}
