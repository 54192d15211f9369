using System.Net;
using System.Net.Http.Json;
using AssistanceRouter.Grains.AssistanceRequests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AssistanceRouter.Tests.Browser;

/// <summary>
/// The "Take it" link of a Slack message, as people and mail scanners open it: looking changes nothing, the form
/// takes it (<c>via: link</c>), and a later visit says who has it. No sign-in: the link is the authority.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class TakeLinkBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_link_in_a_Slack_message_shows_the_request_and_its_form_takes_it_via_link()
    {
        var description = $"The checkout page rejects my card {Guid.NewGuid():N}";
        var request = await fixture.SubmitAsync("sales", description, "https://chat.example.test/c/99");
        var (message, takeUrl) = await fixture.SlackMessageAsync(request.Id);
        Assert.False(message.GetProperty("unfurl_links").GetBoolean());
        Assert.False(message.GetProperty("unfurl_media").GetBoolean());
        Assert.StartsWith(new Uri(fixture.Url, "/take/").ToString(), takeUrl); // the address the node listens on, with no setting

        await using var context = await fixture.NewContextAsync(); // not signed in
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(takeUrl);
        Assert.Equal(200, response!.Status);
        Assert.Equal("no-referrer", await response.HeaderValueAsync("referrer-policy"));
        await Expect(page.Locator(".description")).ToHaveTextAsync(description);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Join the conversation" })).ToHaveAttributeAsync("href", "https://chat.example.test/c/99");
        await Expect(page.Locator(".holder")).ToHaveTextAsync("Nobody has it yet.");
        Assert.DoesNotContain(takeUrl[(takeUrl.LastIndexOf('/') + 1)..], await page.ContentAsync()); // the token is in the address only
        Assert.Null((await fixture.GetAsync(request.Id)).Acknowledgement);

        await page.GetByLabel("Your name").FillAsync("Dana");
        await page.GetByRole(AriaRole.Button, new() { Name = "Take it" }).ClickAsync();

        // Post/redirect/get: the answer is a 303 back to the link, which now says who has it, and since when.
        await Expect(page.Locator(".notice.done")).ToContainTextAsync("You have it, Dana");
        Assert.Equal(takeUrl + "?taken", page.Url);
        await Expect(page.Locator(".holder")).ToContainTextAsync("Dana has it, since");
        await Expect(page.Locator(".eyebrow")).Not.ToContainTextAsync("waiting");
        await page.ReloadAsync();
        await Expect(page.Locator(".holder")).ToContainTextAsync("Dana has it, since");
        var view = await fixture.GetAsync(request.Id);
        Assert.Single(view.History, h => h.Event == HistoryEvents.Acknowledged);
        Assert.Equal(RequestStatus.Acknowledged, view.Status);
        Assert.Equal(("Dana", AcknowledgementVia.Link), (view.Acknowledgement!.By, view.Acknowledgement.Via));

        // Opened again later, from the same message: who has it and since when; the name stays in the browser.
        var again = await context.NewPageAsync();
        await again.GotoAsync(takeUrl);
        await Expect(again.Locator(".holder")).ToContainTextAsync("Dana has it, since");
        await Expect(again.GetByRole(AriaRole.Button, new() { Name = "Take it" })).ToHaveCountAsync(0);
        Assert.Equal("Dana", await again.EvaluateAsync<string>("() => localStorage.getItem('assistance-router.name')"));

        Assert.Contains("/take/…", fixture.Node.Output); // the visits were logged, as request lines
        Assert.DoesNotContain(takeUrl[(takeUrl.LastIndexOf('/') + 1)..], fixture.Node.Output); // and no token in any log line
    }

    [Fact]
    public async Task A_scanner_that_fetches_the_link_or_runs_its_page_changes_nothing_and_a_later_visit_says_who_has_it()
    {
        var request = await fixture.SubmitAsync("sales", $"Refund for a double charge {Guid.NewGuid():N}");
        var (_, takeUrl) = await fixture.SlackMessageAsync(request.Id);
        var before = await fixture.WaitForAsync(request.Id, v => v.Deliveries.All(d => d.Status == DeliveryStatus.Delivered));

        // Outlook Safe Links and Slack's unfurler fetch with GET and HEAD, and follow nothing else.
        using var scanner = new HttpClient();
        scanner.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (compatible; Slackbot-LinkExpanding 1.0)");
        Assert.Equal(HttpStatusCode.OK, (await scanner.GetAsync(takeUrl)).StatusCode);
        using var head = await scanner.SendAsync(new HttpRequestMessage(HttpMethod.Head, takeUrl));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());

        // Some scanners render the page and run its scripts: a browser that loads it and waits.
        await using (var context = await fixture.NewContextAsync())
        {
            var page = await context.NewPageAsync();
            await page.GotoAsync(takeUrl, new() { WaitUntil = WaitUntilState.NetworkIdle });
            await page.WaitForTimeoutAsync(1000);
        }

        var after = await fixture.GetAsync(request.Id);
        Assert.Null(after.Acknowledgement);
        Assert.DoesNotContain(after.History, h => h.Event == HistoryEvents.Acknowledged);
        Assert.Equal(before.History.Length, after.History.Length);

        // Someone takes it elsewhere; the link then says who, and offers nothing to press.
        Assert.True((await fixture.Api.PostAsJsonAsync($"/assistance-requests/{request.Id}/acknowledge", new { by = "Erin" })).IsSuccessStatusCode);
        var visit = await scanner.GetStringAsync(takeUrl);
        Assert.Contains("<strong>Erin</strong> has it, since", visit);
        Assert.DoesNotContain("<button", visit);
    }

    [Fact]
    public async Task A_long_name_wraps_on_a_phone_and_the_page_links_to_the_requests_whole_story()
    {
        var request = await fixture.SubmitAsync("sales", $"Two parcels, one invoice {Guid.NewGuid():N}");
        var (_, takeUrl) = await fixture.SlackMessageAsync(request.Id);
        var name = string.Concat(Enumerable.Repeat("Maximiliana", 9)) + "-Q"; // 101 characters: the field keeps the first 100
        await using var context = await fixture.NewContextAsync(390, 844, isMobile: true);
        var page = await context.NewPageAsync();
        await page.GotoAsync(takeUrl);

        await page.GetByLabel("Your name").FillAsync(name);
        await page.GetByRole(AriaRole.Button, new() { Name = "Take it" }).ClickAsync();

        await Expect(page.Locator(".holder")).ToContainTextAsync("has it, since");
        Assert.Equal(name[..100], (await fixture.GetAsync(request.Id)).Acknowledgement!.By);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the long name runs past the screen");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Its whole story in the inbox" })).ToHaveAttributeAsync("href", $"/inbox/requests/{request.Id}");
    }

    [Fact]
    public async Task A_changed_link_shows_a_page_that_says_so()
    {
        var request = await fixture.SubmitAsync("sales", $"Wrong size delivered {Guid.NewGuid():N}");
        var (_, takeUrl) = await fixture.SlackMessageAsync(request.Id);
        var tampered = takeUrl[..^2] + (takeUrl[^2] == 'A' ? "B" : "A") + takeUrl[^1];

        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync(tampered);
        Assert.Equal(400, response!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("This link does not work");
        Assert.Null((await fixture.GetAsync(request.Id)).Acknowledgement);
    }
}
