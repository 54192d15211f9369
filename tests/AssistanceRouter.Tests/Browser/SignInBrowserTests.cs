using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AssistanceRouter.Tests.Browser;

/// <summary>With an API key set, a browser signs in once with it; the cookie opens the pages and nothing else.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInBrowserTests(BrowserFixture fixture)
{
    [Fact]
    public async Task The_inbox_sends_a_stranger_to_sign_in_and_opens_after_signing_in_with_a_key()
    {
        await using var context = await fixture.NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync("/inbox");
        Assert.EndsWith("/signin?returnUrl=%2Finbox", page.Url);

        await page.GetByLabel("API key").FillAsync("not-a-key");
        var refused = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync(), r => r.Url.EndsWith("/signin", StringComparison.Ordinal));
        Assert.Equal(401, refused.Status);
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That is not one of this service's API keys.");
        Assert.DoesNotContain(await context.CookiesAsync(fixture.Url.ToString()), c => c.Name == "AssistanceRouter.SignIn");

        await page.GetByLabel("API key").FillAsync(BrowserFixture.ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await BrowserFixture.AtAsync(page, "/inbox");
        await Expect(page.Locator("#live")).ToHaveTextAsync("Live");

        var cookie = (await context.CookiesAsync(fixture.Url.ToString())).Single(c => c.Name == "AssistanceRouter.SignIn");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.False(cookie.Secure); // plain http here; Secure on https
        Assert.DoesNotContain(BrowserFixture.ApiKey, cookie.Value);
        Assert.Null(await page.EvaluateAsync<string?>("() => document.cookie.includes('AssistanceRouter.SignIn') ? 'visible' : null"));

        // The cookie opens the pages: the dashboard too.
        Assert.Equal(200, (await page.GotoAsync("/dashboard/"))!.Status);

        // It opens nothing else: the API still wants X-Api-Key, and the inbox's own buttons want the page's token.
        Assert.Equal(401, (await context.APIRequest.GetAsync("/assistance-requests?status=Open")).Status);
        var request = await fixture.SubmitAsync("sales", $"Forged? {Guid.NewGuid():N}");
        var forged = await context.APIRequest.PostAsync($"/inbox/requests/{request.Id}/acknowledge", new() { DataObject = new { by = "Mallory" } });
        Assert.Equal(400, forged.Status);
        Assert.Null((await fixture.GetAsync(request.Id)).Acknowledgement);

        // Signing out closes the inbox again.
        await page.GotoAsync("/inbox");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GotoAsync("/inbox");
        Assert.Contains("/signin", page.Url);
    }

    [Fact]
    public async Task A_signed_in_person_following_an_inbox_link_from_another_site_lands_in_the_inbox()
    {
        await using var context = await fixture.SignedInContextAsync();
        var page = await context.NewPageAsync();
        // A chat message on another site linking to the inbox: SameSite=Strict keeps the cookie off that navigation.
        await page.RouteAsync("http://chat.example.test/**", route => route.FulfillAsync(new()
        {
            ContentType = "text/html",
            Body = $"<a id=inbox href=\"{new Uri(fixture.Url, "/inbox?topic=sales")}\">the inbox</a>",
        }));
        await page.GotoAsync("http://chat.example.test/message");

        await page.ClickAsync("#inbox");

        await BrowserFixture.AtAsync(page, "/inbox?topic=sales");
        await Expect(page.Locator("#live")).ToHaveTextAsync("Live");
    }

    [Fact]
    public async Task Programs_keep_using_X_Api_Key_and_nothing_opens_without_a_key_or_a_cookie()
    {
        using var stranger = new HttpClient { BaseAddress = fixture.Url };
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/assistance-requests?status=Open")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/inbox/requests")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Api.GetAsync("/inbox/requests")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Api.GetAsync("/assistance-requests?status=Open")).StatusCode);
    }
}
