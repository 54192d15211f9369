using System.Text.RegularExpressions;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Testing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AssistanceRouter.Tests.Browser;

/// <summary>Finding a request and working through the queue as a heavy user does: search, keys, compact rows, one request's page.</summary>
[Collection(BrowserCollection.Name)]
public sealed partial class InboxFindBrowserTests(BrowserFixture fixture)
{
    private static ILocator Row(IPage page, string section, string text) =>
        page.Locator($"#{section} li.item").Filter(new() { HasText = text });

    [Fact]
    public async Task Search_from_the_address_or_the_box_shows_the_matching_request_and_not_another()
    {
        var marker = Guid.NewGuid().ToString("N")[..12];
        await fixture.SubmitAsync("sales", $"A zebra{marker} chewed the cable");
        await fixture.SubmitAsync("support", $"A giraffe{marker} ate the invoice");
        await using var context = await fixture.SignedInContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync($"/inbox?q=zebra{marker}");

        await Expect(Row(page, "open", $"zebra{marker}")).ToBeVisibleAsync();
        await Expect(page.Locator("main li.item")).ToHaveCountAsync(1);
        await Expect(page.Locator("#searching")).ToContainTextAsync($"1 request matches “zebra{marker}”");
        await Expect(page.Locator("#topic option[value=sales]")).ToHaveTextAsync(new Regex(@"^sales \(1\)$"));

        await page.Keyboard.PressAsync("/");
        await Expect(page.Locator("#q")).ToBeFocusedAsync();
        await page.Locator("#q").FillAsync($"giraffe{marker}");
        await Expect(Row(page, "open", $"giraffe{marker}")).ToBeVisibleAsync();
        await Expect(page.Locator("main li.item")).ToHaveCountAsync(1);
        Assert.EndsWith($"/inbox?q=giraffe{marker}", page.Url);
    }

    [Fact]
    public async Task Keys_move_take_and_resolve_and_compact_rows_are_remembered()
    {
        var marker = Guid.NewGuid().ToString("N")[..12];
        var older = await fixture.SubmitAsync("support", $"Keyboard one {marker}");
        var newer = await fixture.SubmitAsync("support", $"Keyboard two {marker}");
        await using var context = await fixture.SignedInContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/inbox?q={marker}");
        await page.Locator("#name").FillAsync("Lee");
        await Expect(page.Locator("#open li.item")).ToHaveCountAsync(2);
        await page.Locator("#name").BlurAsync(); // keys typed into a field stay in the field

        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("j");
        await page.Keyboard.PressAsync("k");
        await Expect(page.Locator("li.item.selected")).ToContainTextAsync($"Keyboard one {marker}");
        await page.Keyboard.PressAsync("t");

        await Expect(Row(page, "acknowledged", $"Keyboard one {marker}")).ToContainTextAsync("Lee has it");
        await fixture.WaitForAsync(older.Id, v => v.Acknowledgement is { By: "Lee", Via: AcknowledgementVia.Inbox });
        await page.Keyboard.PressAsync("j"); // the open one, then the taken one
        await page.Keyboard.PressAsync("j");
        await Expect(page.Locator("li.item.selected")).ToContainTextAsync($"Keyboard one {marker}");
        await page.Keyboard.PressAsync("r");
        await Expect(Row(page, "resolved", $"Keyboard one {marker}")).ToContainTextAsync("Resolved by Lee");
        Assert.Null((await fixture.GetAsync(newer.Id)).Acknowledgement);

        await page.Keyboard.PressAsync("?");
        await Expect(page.Locator("#shortcuts")).ToBeVisibleAsync();
        await Expect(page.Locator("#shortcuts")).ToContainTextAsync("take it");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#shortcuts")).ToBeHiddenAsync();

        var comfortable = (await Row(page, "open", $"Keyboard two {marker}").BoundingBoxAsync())!.Height;
        await page.Locator("#density").ClickAsync();
        await page.ReloadAsync();
        await Expect(page.Locator("body")).ToHaveClassAsync(new Regex(@"\bcompact\b"));
        var compact = (await Row(page, "open", $"Keyboard two {marker}").BoundingBoxAsync())!.Height;
        Assert.True(compact < comfortable && compact <= 50, $"a compact row is {compact} px high, a comfortable one {comfortable} px");
    }

    [Fact]
    public async Task A_row_links_to_the_request_page_which_shows_its_story_retries_a_failed_delivery_and_closes_the_loop()
    {
        var marker = Guid.NewGuid().ToString("N");
        fixture.Slack.Script(marker, _ => new Reply(400, "invalid_payload")); // Slack's answer that fails a delivery for good
        var request = await fixture.SubmitAsync("sales", $"The coupon code is refused {marker}");
        await fixture.WaitForAsync(request.Id, v => v.Status == RequestStatus.Failed);
        await using var context = await fixture.SignedInContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/inbox?q={marker}");

        await Row(page, "open", marker).GetByRole(AriaRole.Link, new() { Name = "Details" }).ClickAsync();

        await BrowserFixture.AtAsync(page, $"/inbox/requests/{request.Id}");
        await Expect(page.Locator(".description")).ToHaveTextAsync($"The coupon code is refused {marker}");
        await Expect(page.Locator(".timeline")).ToContainTextAsync("Accepted");
        await Expect(page.Locator(".timeline")).ToContainTextAsync("Delivery to slack failed");
        await Expect(page.Locator(".deliveries")).ToContainTextAsync("invalid_payload");

        fixture.Slack.Script(marker, _ => Reply.Ok);
        await page.GetByRole(AriaRole.Button, new() { Name = "Retry failed deliveries" }).ClickAsync();
        await BrowserFixture.AtAsync(page, "?done=retried");
        await Expect(page.Locator(".notice.done")).ToContainTextAsync("being tried again");
        await fixture.WaitForAsync(request.Id, v => v.Deliveries.All(d => d.Status == DeliveryStatus.Delivered));

        await page.GotoAsync($"/inbox/requests/{request.Id}");
        await page.Locator("form[data-action=take] input[name=by]").FillAsync("Mo");
        await page.GetByRole(AriaRole.Button, new() { Name = "Take it" }).ClickAsync();
        await Expect(page.Locator(".holder")).ToContainTextAsync("Mo has it, since");
        await Expect(page.Locator(".timeline")).ToContainTextAsync("Taken by Mo via inbox");
        await Expect(page.Locator(".timeline")).ToContainTextAsync("Failed deliveries tried again: slack");

        await page.Locator("textarea[name=note]").FillAsync("Issued a new code");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await Expect(page.Locator(".holder")).ToContainTextAsync("Resolved by Mo");
        await Expect(page.Locator(".holder")).ToContainTextAsync("Issued a new code");
        await page.ReloadAsync(); // post/redirect/get: a refresh reads the page again and posts nothing
        var view = await fixture.GetAsync(request.Id);
        Assert.Equal(("Mo", "Issued a new code"), (view.Resolution!.By, view.Resolution.Note));
        Assert.Single(view.History, h => h.Event == HistoryEvents.Resolved);
        Assert.Single(view.History, h => h.Event == HistoryEvents.Acknowledged);
    }
}
