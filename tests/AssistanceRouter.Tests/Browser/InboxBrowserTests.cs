using System.Net.Http.Json;
using AssistanceRouter.Grains.AssistanceRequests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AssistanceRouter.Tests.Browser;

/// <summary>The inbox in headless Chromium: it fills itself, its buttons work, it remembers who you are.</summary>
[Collection(BrowserCollection.Name)]
public sealed class InboxBrowserTests(BrowserFixture fixture)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Patiently = new() { Timeout = (float)BrowserFixture.Patience.TotalMilliseconds };

    private static ILocator Row(IPage page, string section, string text) =>
        page.Locator($"#{section} li.item").Filter(new() { HasText = text });

    [Fact]
    public async Task A_new_request_appears_in_the_open_inbox_without_reload_and_Take_it_moves_it_to_taken_by_the_typed_name()
    {
        await using var context = await fixture.SignedInContextAsync();
        var page = await context.NewPageAsync();
        var errors = new List<string>(); // a script or style the content security policy refused would show here
        page.Console += (_, message) => { if (message.Type == "error") lock (errors) errors.Add(message.Text); };
        var response = await page.GotoAsync("/inbox");
        Assert.Contains("script-src 'self'", await response!.HeaderValueAsync("content-security-policy"));
        await Expect(page.Locator("#live")).ToHaveTextAsync("Live", new() { Timeout = Patiently.Timeout });
        await page.EvaluateAsync("() => window.sameDocument = true"); // gone if the page reloads
        await page.Locator("#name").FillAsync("Alice Example");

        var description = $"My parcel is lost {Guid.NewGuid():N}";
        var request = await fixture.SubmitAsync("sales", description, "https://chat.example.test/c/7");

        var row = Row(page, "open", description);
        await Expect(row).ToBeVisibleAsync(Patiently);
        Assert.True(await page.EvaluateAsync<bool>("() => window.sameDocument === true"), "the inbox reloaded instead of updating itself");
        await Expect(row.Locator(".topic")).ToHaveTextAsync("sales");
        await Expect(row.GetByRole(AriaRole.Link, new() { Name = "Join the conversation" })).ToHaveAttributeAsync("href", "https://chat.example.test/c/7");

        await row.GetByRole(AriaRole.Button, new() { Name = "Take it" }).ClickAsync();

        var taken = Row(page, "acknowledged", description);
        await Expect(taken).ToBeVisibleAsync(Patiently);
        await Expect(taken).ToContainTextAsync("Alice Example has it");
        await Expect(Row(page, "open", description)).ToHaveCountAsync(0);
        var view = await fixture.GetAsync(request.Id);
        Assert.Equal(RequestStatus.Acknowledged, view.Status);
        Assert.Equal(("Alice Example", AcknowledgementVia.Inbox), (view.Acknowledgement!.By, view.Acknowledgement.Via));

        // The name stays in this browser; Resolve moves the request on again.
        await page.ReloadAsync();
        await Expect(page.Locator("#name")).ToHaveValueAsync("Alice Example");
        await Row(page, "acknowledged", description).GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await Expect(Row(page, "resolved", description)).ToContainTextAsync("Resolved by Alice Example", new() { Timeout = Patiently.Timeout });
        Assert.Equal(RequestStatus.Resolved, (await fixture.GetAsync(request.Id)).Status);
        lock (errors) Assert.Empty(errors);
    }

    [Fact]
    public async Task Give_back_opens_it_again_and_Take_it_without_a_name_asks_for_one()
    {
        await using var context = await fixture.SignedInContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/inbox");
        var description = $"Please call me back {Guid.NewGuid():N}";
        var request = await fixture.SubmitAsync("support", description);

        var row = Row(page, "open", description);
        await Expect(row).ToBeVisibleAsync(Patiently);
        await row.GetByRole(AriaRole.Button, new() { Name = "Take it" }).ClickAsync();
        await Expect(page.Locator("#toast")).ToContainTextAsync("Type your name");
        Assert.Null((await fixture.GetAsync(request.Id)).Acknowledgement);

        await page.Locator("#name").FillAsync("Bob");
        await row.GetByRole(AriaRole.Button, new() { Name = "Take it" }).ClickAsync();
        await Expect(Row(page, "acknowledged", description)).ToBeVisibleAsync(Patiently);
        await Row(page, "acknowledged", description).GetByRole(AriaRole.Button, new() { Name = "Give back" }).ClickAsync();
        await Expect(Row(page, "open", description)).ToBeVisibleAsync(Patiently);
        Assert.Null((await fixture.GetAsync(request.Id)).Acknowledgement);
    }

    [Fact]
    public async Task The_topic_filter_shows_only_that_topic_and_stays_in_the_address()
    {
        await using var context = await fixture.SignedInContextAsync();
        var page = await context.NewPageAsync();
        var marker = Guid.NewGuid().ToString("N");
        await fixture.SubmitAsync("sales", $"sales one {marker}");
        await fixture.SubmitAsync("support", $"support one {marker}");

        await page.GotoAsync("/inbox");
        await Expect(Row(page, "open", $"support one {marker}")).ToBeVisibleAsync(Patiently);
        await page.Locator("#topic").SelectOptionAsync("sales");

        await Expect(Row(page, "open", $"support one {marker}")).ToHaveCountAsync(0, new() { Timeout = Patiently.Timeout });
        await Expect(Row(page, "open", $"sales one {marker}")).ToBeVisibleAsync(Patiently);
        Assert.EndsWith("/inbox?topic=sales", page.Url);
    }

    [Fact]
    public async Task Text_from_a_request_renders_as_text_in_the_inbox_and_on_the_link_page()
    {
        var hostile = $"<script>window.pwned = 1</script><img src=x onerror=\"window.pwned = 2\"> <b>bold?</b> {Guid.NewGuid():N}";
        var request = await fixture.SubmitAsync("sales", hostile);
        var (_, takeUrl) = await fixture.SlackMessageAsync(request.Id);
        await using var context = await fixture.SignedInContextAsync();
        var page = await context.NewPageAsync();
        var dialogs = 0;
        page.Dialog += (_, dialog) => { dialogs++; _ = dialog.DismissAsync(); };

        await page.GotoAsync("/inbox");
        var row = Row(page, "open", hostile);
        await Expect(row).ToBeVisibleAsync(Patiently);
        await Expect(row.Locator(".description")).ToHaveTextAsync(hostile);
        Assert.Equal(0, await row.Locator("img, script, b").CountAsync());

        await page.GotoAsync(takeUrl);
        await Expect(page.Locator(".description")).ToHaveTextAsync(hostile);
        Assert.Equal(0, await page.Locator("main img, main script, main b").CountAsync());

        Assert.Null(await page.EvaluateAsync<int?>("() => window.pwned ?? null"));
        Assert.Equal(0, dialogs);
    }

    [Fact]
    public async Task The_inbox_fits_a_phone_and_a_laptop_screen()
    {
        // Plain words, so that the screenshot in the docs reads like a real day; each text is this test's alone.
        const string Waiting = "The invoice for order 4471 shows 40 seats but we only bought 25. Can someone correct it before the payment run on Friday?";
        const string Taken = "Cannot sign in since this morning, the reset email never arrives";
        const string Resolved = "Do you offer a discount for nonprofits?";
        await fixture.SubmitAsync("sales", Waiting, "https://chat.example.test/c/4471");
        var taken = await fixture.SubmitAsync("support", Taken, "https://chat.example.test/c/4472");
        var resolved = await fixture.SubmitAsync("sales", Resolved);
        Assert.True((await fixture.Api.PostAsJsonAsync($"/assistance-requests/{taken.Id}/acknowledge", new { by = "Priya" })).IsSuccessStatusCode);
        Assert.True((await fixture.Api.PostAsJsonAsync($"/assistance-requests/{resolved.Id}/resolve", new { by = "Sam", note = "Sent the nonprofit price list" })).IsSuccessStatusCode);
        var screenshots = Environment.GetEnvironmentVariable("INBOX_SCREENSHOTS") is { Length: > 0 } wanted
            ? Directory.CreateDirectory(wanted).FullName
            : Directory.CreateTempSubdirectory("inbox-screenshots-").FullName;

        foreach (var (name, width, height, mobile) in new[] { ("inbox.png", 1280, 800, false), ("inbox-phone.png", 390, 844, true) })
        {
            await using var context = await fixture.SignedInContextAsync(width, height, mobile);
            var page = await context.NewPageAsync();
            await page.GotoAsync("/inbox");
            await page.Locator("#name").FillAsync("Priya");
            await Expect(Row(page, "open", Waiting)).ToBeVisibleAsync(Patiently);
            await Expect(Row(page, "acknowledged", Taken)).ToBeVisibleAsync(Patiently);
            await Expect(Row(page, "resolved", Resolved)).ToBeVisibleAsync(Patiently);

            await page.Locator("#name").BlurAsync();
            // Nothing wider than the screen, and the main button of the oldest request within reach.
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
                $"the inbox scrolls sideways at {width} px");
            var button = await Row(page, "open", Waiting).GetByRole(AriaRole.Button, new() { Name = "Take it" }).BoundingBoxAsync();
            Assert.NotNull(button);
            Assert.InRange(button.X + button.Width, 0, width);
            var png = await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, name), FullPage = false });
            Assert.True(png.Length > 10_000, $"{name} is nearly empty");

            // The taken request's own page, from its row.
            await Row(page, "acknowledged", Taken).GetByRole(AriaRole.Link, new() { Name = "Details" }).ClickAsync();
            await Expect(page.Locator(".timeline")).ToContainTextAsync("Taken by Priya");
            Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
                $"the request's page scrolls sideways at {width} px");
            var detail = name.Replace("inbox", "inbox-request", StringComparison.Ordinal);
            Assert.True((await page.ScreenshotAsync(new() { Path = Path.Combine(screenshots, detail), FullPage = false })).Length > 10_000, $"{detail} is nearly empty");
        }
    }
}
