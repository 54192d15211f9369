using System.Net.Http.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AssistanceRouter.Tests.Browser;

/// <summary>Someone else's request in the inbox: Give back and Resolve ask first, naming whose it is; the answer decides.</summary>
[Collection(BrowserCollection.Name)]
public sealed class InboxConfirmBrowserTests(BrowserFixture fixture)
{
    private static readonly LocatorAssertionsToBeVisibleOptions Patiently = new() { Timeout = (float)BrowserFixture.Patience.TotalMilliseconds };

    [Fact]
    public async Task Giving_back_Anns_request_as_Bob_asks_first_nothing_changes_on_cancel_and_the_history_says_Bob_on_OK()
    {
        var description = $"Whose is this {Guid.NewGuid():N}";
        var request = await fixture.SubmitAsync("sales", description);
        (await fixture.Api.PostAsJsonAsync($"/assistance-requests/{request.Id}/acknowledge", new { by = "Ann" })).EnsureSuccessStatusCode();
        await using var context = await fixture.SignedInContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync("/inbox");
        await page.Locator("#name").FillAsync("Bob");
        var row = page.Locator("#acknowledged li.item").Filter(new() { HasText = description });
        await Expect(row).ToBeVisibleAsync(Patiently);
        var asked = new List<string>();
        var accept = false;
        page.Dialog += async (_, dialog) =>
        {
            lock (asked) asked.Add(dialog.Message);
            if (accept) await dialog.AcceptAsync(); else await dialog.DismissAsync();
        };

        await row.GetByRole(AriaRole.Button, new() { Name = "Give back" }).ClickAsync();
        await row.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await Eventually.Until(() => { lock (asked) return asked.Count; }, count => count == 2, "both questions", BrowserFixture.Patience);
        string[] questions =
            ["Ann has this request. Give it back anyway, as Bob? Everyone sees who did.", "Ann has this request. Resolve it anyway, as Bob? Everyone sees who did."];
        lock (asked) Assert.Equal(questions, asked);
        Assert.Equal("Ann", (await fixture.GetAsync(request.Id)).Acknowledgement?.By);

        accept = true;
        await row.GetByRole(AriaRole.Button, new() { Name = "Give back" }).ClickAsync();
        var view = await fixture.WaitForAsync(request.Id, v => v.Acknowledgement is null);
        Assert.Equal(("unacknowledged", "Bob", "held by Ann"), (view.History[^1].Event, view.History[^1].By, view.History[^1].Detail));
    }
}
