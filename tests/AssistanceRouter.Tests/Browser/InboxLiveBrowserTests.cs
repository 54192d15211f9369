using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AssistanceRouter.Tests.Browser;

/// <summary>
/// The inbox in a background tab: the event stream keeps its rows, title and icon current, and, once a person allowed
/// it with a click, it shows a desktop notification for a new request. The tab's visibility is emulated (the
/// document says it is hidden and fires <c>visibilitychange</c>), and notifications are spied on, then shown for real.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class InboxLiveBrowserTests(BrowserFixture fixture)
{
    /// <summary>Lets a test hide the page (<c>window.hide()</c>), and records each notification the page makes and each permission it asks for.</summary>
    private const string Watch = """
        (() => {
          let hidden = false;
          Object.defineProperty(Document.prototype, "visibilityState", { get: () => hidden ? "hidden" : "visible", configurable: true });
          Object.defineProperty(Document.prototype, "hidden", { get: () => hidden, configurable: true });
          window.hide = () => { hidden = true; document.dispatchEvent(new Event("visibilitychange")); };
          window.notifications = [];
          window.permissionRequests = 0;
          const Real = window.Notification;
          const Spy = class extends Real {
            constructor(title, options) { super(title, options); window.notifications.push({ title, body: options && options.body }); }
          };
          Object.defineProperty(Spy, "permission", { get: () => Real.permission });
          Spy.requestPermission = (...args) => { window.permissionRequests++; return Real.requestPermission(...args); };
          window.Notification = Spy;
        })();
        """;

    private static ILocator Row(IPage page, string section, string text) =>
        page.Locator($"#{section} li.item").Filter(new() { HasText = text });

    private async Task<IPage> OpenInboxAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
        await page.AddInitScriptAsync(Watch);
        await page.GotoAsync("/inbox");
        await Expect(page.Locator("#live")).ToHaveTextAsync("Live");
        await page.EvaluateAsync("() => window.sameDocument = true"); // gone if the page reloads
        return page;
    }

    [Fact]
    public async Task A_hidden_inbox_gets_a_new_request_from_the_stream_and_keeps_its_title_and_icon_current()
    {
        await using var context = await fixture.SignedInContextAsync();
        var page = await OpenInboxAsync(context);
        await page.EvaluateAsync("() => window.hide()");
        Assert.Equal("hidden", await page.EvaluateAsync<string>("() => document.visibilityState"));

        var description = $"Seen from a background tab {Guid.NewGuid():N}";
        await fixture.SubmitAsync("sales", description);
        var open = await fixture.OpenCountAsync();

        await Expect(Row(page, "open", description)).ToHaveCountAsync(1);
        await Expect(page).ToHaveTitleAsync($"({open}) Inbox · AssistanceRouter");
        Assert.StartsWith("data:image/png", await page.Locator("link[rel=icon]").GetAttributeAsync("href"));
        Assert.True(await page.EvaluateAsync<bool>("() => document.hidden && window.sameDocument === true"), "the page reloaded or became visible");
        Assert.Equal(0, await page.EvaluateAsync<int>("() => window.permissionRequests")); // never asked on load
    }

    [Fact]
    public async Task Notifications_asked_for_on_a_click_and_granted_show_a_new_request_while_the_tab_is_hidden()
    {
        await using var context = await fixture.SignedInContextAsync();
        await context.GrantPermissionsAsync(["notifications"], new() { Origin = fixture.Url.GetLeftPart(UriPartial.Authority) });
        var page = await OpenInboxAsync(context);
        var notify = page.Locator("#notify");
        await Expect(notify).ToHaveAttributeAsync("aria-pressed", "false"); // granted to the site, but not asked for here yet

        await notify.ClickAsync();

        await Expect(notify).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(page.Locator("#toast")).ToContainTextAsync("Desktop notifications are on");
        await page.EvaluateAsync("() => window.hide()");
        var description = $"Worth a notification {Guid.NewGuid():N}";
        await fixture.SubmitAsync("support", description);

        await Expect(Row(page, "open", description)).ToHaveCountAsync(1);
        var shown = await page.EvaluateAsync<Notice[]>("() => window.notifications");
        var notice = Assert.Single(shown, n => n.Body == description);
        Assert.Equal("New request · support", notice.Title);

        // Remembered in this browser, and turned off with the same button.
        await page.ReloadAsync();
        await Expect(page.Locator("#notify")).ToHaveAttributeAsync("aria-pressed", "true");
        await page.Locator("#notify").ClickAsync();
        await Expect(page.Locator("#notify")).ToHaveAttributeAsync("aria-pressed", "false");
    }

    [Fact]
    public async Task Notifications_not_allowed_by_the_browser_stay_off_and_the_page_says_how_to_allow_them()
    {
        await using var context = await fixture.SignedInContextAsync(); // no permission granted: the browser refuses
        var page = await OpenInboxAsync(context);

        await page.Locator("#notify").ClickAsync();

        await Expect(page.Locator("#toast")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("blocks notifications|were not allowed"));
        await Expect(page.Locator("#notify")).ToHaveAttributeAsync("aria-pressed", "false");
        Assert.Equal(1, await page.EvaluateAsync<int>("() => window.permissionRequests"));
        Assert.NotEqual("granted", await page.EvaluateAsync<string>("() => Notification.permission"));

        await page.EvaluateAsync("() => window.hide()");
        var description = $"No notification for this {Guid.NewGuid():N}";
        await fixture.SubmitAsync("sales", description);
        await Expect(Row(page, "open", description)).ToHaveCountAsync(1); // the row and its announcement come in one step
        Assert.Empty(await page.EvaluateAsync<Notice[]>("() => window.notifications"));
    }

    private sealed class Notice
    {
        public string Title { get; set; } = "";
        public string? Body { get; set; }
    }
}
