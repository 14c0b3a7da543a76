using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Notiflows.Server.Tests.Api.User;
using Notiflows.Server.Tests.Infrastructure;
using Notiflows.Storage.Database;
using static Microsoft.Playwright.Assertions;

namespace Notiflows.Server.Tests.Browser;

/// <summary>
/// The SDK in a real browser (Debian's chromium through Playwright): a customer's page on another origin embeds
/// <c>&lt;notiflows-inbox&gt;</c>, which imports the modules from the server's <c>/sdk/</c>, authenticates with a user key,
/// shows a notification triggered through the Admin API live, and marks it read when clicked.
/// </summary>
public abstract class InboxBrowserTests<TFixture>(TFixture fixture) : UserApiTests<TFixture>(fixture), IAsyncLifetime
    where TFixture : HostFixture
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private PageServer? _pages;

    [Fact]
    public async Task Inbox_ShowsANotificationLive_AndAClickMarksItReadAndFollowsItsLink()
    {
        var page = await NewPageAsync();
        // The page's clock is the real one: start the server's fake clock at the real time so entries read "now".
        if (DateTimeOffset.UtcNow > Host.Time.GetUtcNow())
        {
            Host.Time.SetUtcNow(DateTimeOffset.UtcNow);
        }
        var (p, key, _) = await UserProjectAsync("jane");
        await AllowOriginsAsync(p, _pages!.Origin);
        await PublishAsync(p, "comment", $$$"""
            [{{{Trigger}}}, {"handle": "inbox", "type": "channel", "channel_type": "in_app", "position": 1, "template": {"data": {
                "title": "New comment on {{ data.doc }}",
                "body": "**{{ actor.first_name }}** commented: _{{ data.comment }}_\n- `{{ data.doc }}`",
                "action_url": "{{ data.url }}" } } }, {{{End(2)}}}]
            """);
        var url = _pages.Add("/app", AppPage(p.PublicKey, key));
        await page.GotoAsync(url);

        var inbox = page.Locator("notiflows-inbox");
        var bell = page.GetByRole(AriaRole.Button, new() { Name = "Notifications" });
        var badge = inbox.Locator(".badge");
        await Expect(inbox).ToHaveAttributeAsync("data-status", "connected");
        await Expect(badge).ToBeHiddenAsync();
        await Expect(bell).ToHaveAttributeAsync("aria-expanded", "false");

        await RunAsync(p, "comment", JsonSerializer.Serialize(new
        {
            recipients = new[] { new { external_id = "jane" } },
            actor = new { external_id = "sam", first_name = "Sam", last_name = "Lee" },
            data = new { doc = "Roadmap", comment = "Looks <b>great</b>, ship it!", url = url + "#comment-42" },
        }));
        await Host.DrainAsync();

        // Live: no reload, the badge counts the new entry and the bell says so.
        await Expect(badge).ToHaveTextAsync("1");
        await Expect(bell).ToHaveAttributeAsync("aria-label", "Notifications, 1 unread");

        // Opening the panel shows the entry and marks it seen (not read).
        await page.RunAndWaitForResponseAsync(() => bell.ClickAsync(), IsPatch);
        await Expect(bell).ToHaveAttributeAsync("aria-expanded", "true");
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Notifications" });
        await Expect(dialog).ToBeVisibleAsync();
        var entry = dialog.GetByRole(AriaRole.Link).Filter(new() { HasText = "New comment on Roadmap" });
        await Expect(entry).ToContainTextAsync("Sam commented: Looks <b>great</b>, ship it!");
        await Expect(entry).ToContainTextAsync("Sam Lee");
        await Expect(entry.Locator("strong")).ToHaveTextAsync("Sam");
        await Expect(entry.Locator("code")).ToHaveTextAsync("Roadmap");
        await Expect(entry.Locator("b")).ToHaveCountAsync(0); // the comment's HTML is text, not markup
        await Expect(entry).ToHaveClassAsync(Unread);
        var id = (await entry.GetAttributeAsync("data-id"))!;
        var seen = await DeliveryAsync(p, id);
        Assert.NotNull(seen["seen_at"]);
        Assert.Null(seen["read_at"]);

        var screenshot = TestBrowser.ScreenshotPath($"inbox-open-{Kind.ToString().ToLowerInvariant()}.png");
        await page.ScreenshotAsync(new() { Path = screenshot });
        TestContext.Current.TestOutputHelper?.WriteLine($"Screenshot of the open inbox: {screenshot}");
        TestContext.Current.AddAttachment(Path.GetFileName(screenshot), await File.ReadAllBytesAsync(screenshot, Ct), "image/png");

        // A click marks it read and clicked, and follows its action_url; the badge goes back to nothing, live.
        await page.RunAndWaitForResponseAsync(() => entry.ClickAsync(), IsPatch);
        await Expect(page).ToHaveURLAsync(url + "#comment-42");
        await Expect(badge).ToBeHiddenAsync();
        await Expect(bell).ToHaveAttributeAsync("aria-label", "Notifications");
        var read = await DeliveryAsync(p, id);
        Assert.NotNull(read["read_at"]);
        Assert.NotNull(read["clicked_at"]);

        await Expect(entry).Not.ToHaveClassAsync(Unread);

        // The link was on this page: the panel is still open. Escape closes it and gives the focus back to the bell.
        await Expect(dialog).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(bell).ToBeFocusedAsync();
    }

    [Fact]
    public async Task SdkModules_ImportCrossOrigin_AndRenderOnlyTheSafeMarkdownSubset()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(_pages!.Add("/blank", "<!doctype html><title>blank</title>"));
        var result = await page.EvaluateAsync<JsonElement>("""
            async (base) => {
              const sdk = await import(base + "/sdk/notiflows.js");
              const inbox = await import(base + "/sdk/notiflows-inbox.js");
              const backoff = new sdk.Backoff({ base: 1000, max: 8000, random: () => 1 });
              return {
                markdown: inbox.renderMarkdown('<img src=x onerror=alert(1)> **bold** *it* [ok](https://a.example/?q=1&r=2) [bad](javascript:alert(1))'),
                plainLinks: inbox.renderMarkdown('[ok](https://a.example/)', { links: false }),
                list: inbox.renderMarkdown('- one\n- two'),
                delays: [backoff.next(), backoff.next(), backoff.next(), backoff.next(), backoff.next()],
                defined: customElements.get("notiflows-inbox") === inbox.NotiflowsInbox,
                client: typeof sdk.Notiflows,
              };
            }
            """, Host.Url);
        Assert.Equal(
            "&lt;img src=x onerror=alert(1)&gt; <strong>bold</strong> <em>it</em> "
            + "<a href=\"https://a.example/?q=1&amp;r=2\" target=\"_blank\" rel=\"noopener noreferrer\">ok</a> bad",
            result.GetProperty("markdown").GetString());
        Assert.Equal("<span class=\"md-a\">ok</span>", result.GetProperty("plainLinks").GetString());
        Assert.Equal("<span class=\"md-li\">one</span><span class=\"md-li\">two</span>", result.GetProperty("list").GetString());
        Assert.Equal([1000, 2000, 4000, 8000, 8000], result.GetProperty("delays").EnumerateArray().Select(d => d.GetInt32()));
        Assert.True(result.GetProperty("defined").GetBoolean());
        Assert.Equal("function", result.GetProperty("client").GetString());
    }

    /// <summary>The customer's page: a header with the inbox element, importing the SDK from the Notiflows server.</summary>
    private string AppPage(string publicKey, string userKey) => $$"""
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8"><title>Acme — Projects</title>
          <script type="module" src="{{Host.Url}}/sdk/notiflows-inbox.js"></script>
          <style>
            body { margin: 0; font: 15px system-ui, sans-serif; background: #f3f4f6; color: #111827; }
            header { display: flex; align-items: center; justify-content: space-between; padding: 8px 24px; background: #fff;
              border-bottom: 1px solid #e5e7eb; }
            main { padding: 24px; max-width: 560px; }
          </style>
        </head>
        <body>
          <header><strong>Acme Projects</strong>
            <notiflows-inbox api-url="{{Host.Url}}" api-key="{{publicKey}}" user-key="{{userKey}}"></notiflows-inbox></header>
          <main><h1>Roadmap</h1><p id="comment-42">Comments appear here.</p></main>
        </body>
        </html>
        """;

    private async Task<IPage> NewPageAsync()
    {
        _ = Host; // skips (or fails in CI) first when PostgreSQL is missing
        (_playwright, _browser) = await TestBrowser.LaunchAsync();
        _pages = await PageServer.StartAsync(Ct);
        var page = await _browser.NewPageAsync(new() { ViewportSize = new() { Width = 900, Height = 620 } });
        page.SetDefaultTimeout(15_000);
        return page;
    }

    private static readonly Regex Unread = new(@"\bunread\b");

    private static bool IsPatch(IResponse r) => r.Request.Method == "PATCH" && r.Url.Contains("/feed/entries", StringComparison.Ordinal);

    private async Task<System.Text.Json.Nodes.JsonObject> DeliveryAsync(TestProject p, string id) =>
        (await Admin(p, HttpMethod.Get, $"/admin/v1/deliveries/{id}")).AssertStatus(200).Body;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        _playwright?.Dispose();
        if (_pages is not null)
        {
            await _pages.DisposeAsync();
        }
        GC.SuppressFinalize(this);
    }
}

/// <summary>A host on a real loopback port, reachable by the browser.</summary>
public sealed class SqliteKestrelFixture() : HostFixture(DbKind.Sqlite)
{
    protected override bool Kestrel => true;
}

public sealed class PostgresKestrelFixture() : HostFixture(DbKind.Postgres)
{
    protected override bool Kestrel => true;
}

public sealed class SqliteInboxBrowserTests(SqliteKestrelFixture f) : InboxBrowserTests<SqliteKestrelFixture>(f);

public sealed class PostgresInboxBrowserTests(PostgresKestrelFixture f) : InboxBrowserTests<PostgresKestrelFixture>(f);
