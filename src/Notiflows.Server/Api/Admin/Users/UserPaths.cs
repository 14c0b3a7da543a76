namespace Notiflows.Server.Api.Admin.Users;

/// <summary>The external id in a user path.</summary>
public static class UserPaths
{
    /// <summary>
    /// §4.1: path parameters are URL-decoded, but ASP.NET Core leaves an encoded '/' (%2F) as is in route values; decode
    /// it so that "a%2Fb" is the forbidden "a/b" rather than a user literally named "a%2Fb".
    /// </summary>
    public static string ExternalId(string routeValue) => routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
}
