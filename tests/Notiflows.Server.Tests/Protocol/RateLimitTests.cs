using Notiflows.Server.Tests.Api.User;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Protocol;

/// <summary>Token buckets (§4.6): 429 with Retry-After and details; refills with time; rejected and unauthenticated requests are free.</summary>
public abstract class RateLimitTests<TFixture>(TFixture fixture) : UserApiTests<TFixture>(fixture) where TFixture : HostFixture
{
    [Fact]
    public async Task ManagementToken_EmptyBucket_Returns429UntilItRefills()
    {
        // Burst 2, 1 token a second: the third request in the same instant is refused.
        Host.Time.Advance(TimeSpan.FromSeconds(10));
        (await Mgmt(HttpMethod.Get, "/management/v1/whoami")).AssertStatus(200);
        var second = (await Mgmt(HttpMethod.Get, "/management/v1/whoami")).AssertStatus(200);
        Assert.Equal("0", second.Header("RateLimit-Remaining"));
        Assert.Equal("1", second.Header("RateLimit-Limit"));
        var limited = await Mgmt(HttpMethod.Get, "/management/v1/whoami");
        var error = limited.AssertError(429, "rate_limited");
        Assert.Equal(1, (int)error["details"]!["retry_after"]!);
        Assert.Equal(1, (int)error["details"]!["limit"]!);
        Assert.Equal("1s", (string?)error["details"]!["window"]);
        Assert.Equal("1", limited.Header("Retry-After"));

        // Refused requests take no token, and a request without credentials is not counted.
        (await SendAsync(Host.CreateClient(), HttpMethod.Get, "/management/v1/whoami")).AssertError(401, "unauthenticated");
        Host.Time.Advance(TimeSpan.FromSeconds(1));
        (await Mgmt(HttpMethod.Get, "/management/v1/whoami")).AssertStatus(200);
        (await Mgmt(HttpMethod.Get, "/management/v1/whoami")).AssertError(429, "rate_limited");
    }

    [Fact]
    public async Task AdminSecretKey_HasItsOwnBucket()
    {
        Host.Time.Advance(TimeSpan.FromSeconds(10));
        var admin = Host.Admin();
        (await SendAsync(admin, HttpMethod.Get, "/admin/v1/channels")).AssertStatus(200);
        (await SendAsync(admin, HttpMethod.Get, "/admin/v1/channels")).AssertStatus(200);
        var limited = await SendAsync(admin, HttpMethod.Get, "/admin/v1/channels");
        Assert.Equal("https://docs.notiflows.com/errors/rate_limited", (string?)limited.AssertError(429, "rate_limited")["type"]);
    }

    [Fact]
    public async Task AdminBuckets_ArePerProject_AndTellWhenTheyAreFullAgain()
    {
        Host.Time.Advance(TimeSpan.FromSeconds(10));
        var (first, second) = (await NewProjectAsync(), await NewProjectAsync());
        var full = (await Admin(first, HttpMethod.Get, "/admin/v1/channels")).AssertStatus(200);
        Assert.Equal(("2", "1", "1"), (full.Header("RateLimit-Limit"), full.Header("RateLimit-Remaining"), full.Header("RateLimit-Reset")));
        (await Admin(first, HttpMethod.Get, "/admin/v1/channels")).AssertStatus(200);
        (await Admin(first, HttpMethod.Get, "/admin/v1/channels")).AssertError(429, "rate_limited");
        (await Admin(second, HttpMethod.Get, "/admin/v1/channels")).AssertStatus(200);
    }

    [Fact]
    public async Task UserApi_HasABucketPerUser()
    {
        Host.Time.Advance(TimeSpan.FromSeconds(10));
        var (p, jane, pem) = await UserProjectAsync();
        (await Admin(p, HttpMethod.Put, "/admin/v1/users/bob", "{}")).AssertStatus(201);
        for (var i = 0; i < 3; i++)
        {
            var ok = (await AsUser(p, HttpMethod.Get, "/user/v1/channels", jane)).AssertStatus(200);
            Assert.Equal("1", ok.Header("RateLimit-Limit"));
            Assert.Equal((2 - i).ToString(System.Globalization.CultureInfo.InvariantCulture), ok.Header("RateLimit-Remaining"));
        }
        var limited = await AsUser(p, HttpMethod.Get, "/user/v1/channels", jane);
        var error = limited.AssertError(429, "rate_limited");
        Assert.Equal(1, (int)error["details"]!["retry_after"]!);
        Assert.Equal(1, (int)error["details"]!["limit"]!);
        Assert.Equal("1s", (string?)error["details"]!["window"]);
        Assert.Equal("1", limited.Header("Retry-After"));
        Assert.Equal("3", limited.Header("RateLimit-Reset"));

        // Another user of the project has a bucket of their own; refused and unauthenticated requests take nothing.
        (await AsUser(p, HttpMethod.Get, "/user/v1/channels", UserKey(pem, "bob"))).AssertStatus(200);
        (await AsUser(p, HttpMethod.Get, "/user/v1/channels", "bad.user.key")).AssertError(401, "unauthenticated");
        Host.Time.Advance(TimeSpan.FromSeconds(1));
        (await AsUser(p, HttpMethod.Get, "/user/v1/channels", jane)).AssertStatus(200);
        (await AsUser(p, HttpMethod.Get, "/user/v1/channels", jane)).AssertError(429, "rate_limited");
    }
}

public sealed class SqliteRateLimitTests(SqliteRateLimitFixture fixture) : RateLimitTests<SqliteRateLimitFixture>(fixture);

public sealed class PostgresRateLimitTests(PostgresRateLimitFixture fixture) : RateLimitTests<PostgresRateLimitFixture>(fixture);
