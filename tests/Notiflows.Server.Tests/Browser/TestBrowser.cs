using Microsoft.Playwright;
using Notiflows.Server.Tests.Infrastructure;

namespace Notiflows.Server.Tests.Browser;

/// <summary>
/// The system's chromium (Debian's package, installed by scripts/test.sh) driven by Playwright, which never downloads a
/// browser of its own. Missing: browser tests skip locally but fail when <c>CI=true</c>, like <c>TestPostgres</c>.
/// </summary>
public static class TestBrowser
{
    /// <summary>The chromium binary: <c>NOTIFLOWS_TEST_CHROMIUM</c>, else Debian's <c>/usr/bin/chromium</c>.</summary>
    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("NOTIFLOWS_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static void RequireChromium()
    {
        if (File.Exists(ChromiumPath))
        {
            return;
        }
        Assert.False(
            string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase),
            $"{ChromiumPath} is missing, but CI=true requires the browser tests: run ./scripts/test.sh (it installs chromium).");
        Assert.Skip($"{ChromiumPath} is missing: run ./scripts/test.sh, or apt-get install chromium.");
    }

    /// <summary>Starts Playwright's driver and a headless chromium; dispose both.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        RequireChromium();
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath, Headless = true, Args = ["--no-sandbox"],
        });
        return (playwright, browser);
    }

    /// <summary>Where screenshots go: artifacts/screenshots at the repository root.</summary>
    public static string ScreenshotPath(string name) => Path.Combine(RepoPaths.Artifacts("screenshots"), name);
}
