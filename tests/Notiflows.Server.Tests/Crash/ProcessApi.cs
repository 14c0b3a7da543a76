using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Notiflows.Server.Tests.Crash;

/// <summary>A small API client for tests that drive real server processes.</summary>
public sealed class ProcessApi(HttpClient http) : IDisposable
{
    public const string Token = "nf_at_crashtestbootstraptoken000000000000";
    public const string PublicKey = "pk_crashtestpublic0000000000000000";
    public const string SecretKey = "sk_crashtestsecret00000000000000000000000";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Dictionary<string, string?> BootstrapEnv() => new()
    {
        ["NOTIFLOWS_BOOTSTRAP_ACCOUNT_TOKEN"] = Token,
        ["NOTIFLOWS_BOOTSTRAP_PUBLIC_KEY"] = PublicKey,
        ["NOTIFLOWS_BOOTSTRAP_SECRET_KEY"] = SecretKey,
        ["Notiflows__RateLimits__Admin__Rate"] = "1000000",
        ["Notiflows__RateLimits__Admin__Burst"] = "1000000",
        ["Notiflows__RateLimits__Management__Rate"] = "1000000",
        ["Notiflows__RateLimits__Management__Burst"] = "1000000",
    };

    public async Task<JsonObject> SendAsync(HttpMethod method, string path, string? body, int expected, bool admin = true)
    {
        using var request = new HttpRequestMessage(method, path);
        if (admin)
        {
            request.Headers.Add("x-notiflows-secret-key", SecretKey);
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        using var response = await http.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True((int)response.StatusCode == expected, $"{method} {path}: expected {expected}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }

    public async Task PublishAsync(string handle, string steps)
    {
        await SendAsync(HttpMethod.Put, $"/management/v1/notiflows/{handle}", $$"""{"name": "{{handle}}", "steps": {{steps}}}""", 201, admin: false);
        await SendAsync(HttpMethod.Post, $"/management/v1/notiflows/{handle}/publish", null, 200, admin: false);
    }

    public async Task<string> RunAsync(string handle, string body) =>
        (string)(await SendAsync(HttpMethod.Post, $"/admin/v1/notiflows/{handle}/run", body, 202))["notiflow_run_id"]!;

    public Task<JsonObject> RunViewAsync(string runId) => SendAsync(HttpMethod.Get, $"/admin/v1/runs/{runId}", null, 200);

    /// <summary>
    /// Polls a real server process (whose clock is the real one) until <paramref name="done"/> holds. A timer paces the
    /// polls; this is how any client waits for an asynchronous server, not a sleep standing in for in-process time.
    /// </summary>
    public static async Task<T> PollAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, TimeSpan every)
    {
        using var timer = new PeriodicTimer(every);
        var deadline = DateTimeOffset.UtcNow + timeout; // banned only in src/: the tests measure a real process here
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }
            Assert.True(DateTimeOffset.UtcNow < deadline, $"Timed out after {timeout}; last value: {value}");
            await timer.WaitForNextTickAsync(Ct);
        }
    }

    public void Dispose() => http.Dispose();
}
