using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using AssistanceRouter.Api.Pages;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Links;

/// <summary>The inbox over HTTP with no API keys set: open, but its buttons still need the page's token.</summary>
public sealed partial class InboxPageTests(UnconfiguredApiFactory api) : IClassFixture<UnconfiguredApiFactory>
{
    [Fact]
    public async Task The_snapshot_lists_an_open_request_and_the_page_token_lets_its_buttons_take_it()
    {
        var (_, request) = await api.SubmitAsync("sales", "Inbox over HTTP");
        using var client = api.CreateClient();

        var page = await client.GetAsync("/inbox");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>", html); // scripts come as files, for a strict content security policy
        Assert.DoesNotContain("style=", html);
        var token = PageToken().Match(html).Groups[1].Value;

        // The snapshot is this node's projection, which the change feed brings the request to a batch (250 ms) later.
        var snapshot = await Eventually.Until(() => client.GetFromJsonAsync<JsonElement>("/inbox/requests?topic=SALES"),
            s => s.GetProperty("open").GetProperty("items").EnumerateArray().Any(i => i.GetProperty("id").GetGuid() == request!.Id), "the snapshot to list it");
        Assert.Equal("sales", snapshot.GetProperty("topic").GetString());
        var open = snapshot.GetProperty("open").GetProperty("items").EnumerateArray().Single(i => i.GetProperty("id").GetGuid() == request!.Id);
        Assert.Equal("Inbox over HTTP", open.GetProperty("description").GetString());
        Assert.False(open.TryGetProperty("metadata", out _));

        var withoutToken = await client.PostAsJsonAsync($"/inbox/requests/{request!.Id}/acknowledge", new { by = "Hana" });
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);

        using var message = new HttpRequestMessage(HttpMethod.Post, $"/inbox/requests/{request.Id}/acknowledge") { Content = JsonContent.Create(new { by = "Hana" }) };
        message.Headers.Add(Forms.TokenHeader, token);
        var taken = await client.SendAsync(message);
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        var view = await api.GetAsync(request.Id);
        Assert.Equal(("Hana", AcknowledgementVia.Inbox), (view.Acknowledgement!.By, view.Acknowledgement.Via));
    }

    [Fact]
    public async Task Sign_in_says_none_is_needed_when_no_key_is_set()
    {
        var html = await api.CreateClient().GetStringAsync("/signin");
        Assert.Contains("No sign-in needed", html);
    }

    [Fact]
    public async Task Assets_are_served_with_their_types_and_kept_for_good()
    {
        var css = await api.CreateClient().GetAsync("/assets/site.css");
        var js = await api.CreateClient().GetAsync("/assets/inbox.js");
        var missing = await api.CreateClient().GetAsync("/assets/nothing.js");

        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
        Assert.Equal("text/javascript", js.Content.Headers.ContentType!.MediaType);
        Assert.Contains("immutable", css.Headers.CacheControl!.ToString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [GeneratedRegex("data-token=\"([^\"]+)\"")]
    private static partial Regex PageToken();
}
