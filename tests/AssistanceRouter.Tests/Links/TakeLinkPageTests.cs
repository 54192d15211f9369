using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using AssistanceRouter.Api.Pages;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Links;
using AssistanceRouter.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AssistanceRouter.Tests.Links;

/// <summary>The link pages over HTTP, against the real API: what each kind of link answers, and the form's rules.</summary>
public sealed partial class TakeLinkPageTests(TakeLinkPageTests.KeyedApi api) : IClassFixture<TakeLinkPageTests.KeyedApi>
{
    public const string SigningKey = "the links' key, at least 32 characters long";

    public sealed class KeyedApi() : ApiFactory(new Dictionary<string, string?>
    {
        ["Links:SigningKey"] = SigningKey,
        ["Api:Keys:0"] = "a-key-the-link-pages-do-not-need",
        ["Api:PublicUrl"] = "https://help.example.test/router/",
    });

    private static byte[] Key => Encoding.UTF8.GetBytes(SigningKey);

    /// <summary>A browser's view: keeps cookies, and https as the public URL says (the cookies are Secure).</summary>
    private HttpClient Client() => api.CreateClient(new() { BaseAddress = new Uri("https://localhost") });

    private async Task<AssistanceRequestView> View(Guid id)
    {
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "a-key-the-link-pages-do-not-need");
        return (await client.GetFromJsonAsync<AssistanceRequestView>($"/assistance-requests/{id}", ApiFactory.Json))!;
    }

    private async Task<AssistanceRequestView> Submit(string description)
    {
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", "a-key-the-link-pages-do-not-need");
        var response = await client.PostAsJsonAsync("/assistance-requests", new { topic = "sales", description });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<AssistanceRequestView>(ApiFactory.Json))!;
    }

    private static string Token(Guid id, DateTimeOffset expires) => LinkTokens.Sign(Key, new TakeLink(id, "slack", expires));

    [Fact]
    public async Task Links_point_at_the_public_url_and_carry_a_token_this_node_accepts()
    {
        var request = await Submit("Where is my invoice?");
        var links = api.Services.GetRequiredService<TakeLinks>();

        var url = (await links.UrlAsync(request.Id, "slack"))!;

        Assert.StartsWith("https://help.example.test/router/take/", url);
        var (check, link) = await links.VerifyAsync(url[(url.LastIndexOf('/') + 1)..]);
        Assert.Equal(LinkCheck.Valid, check);
        Assert.Equal((request.Id, "slack"), (link!.RequestId, link.Channel));
        Assert.InRange(link.ExpiresAt - DateTimeOffset.UtcNow, TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1), TimeSpan.FromDays(7));
    }

    [Fact]
    public async Task A_link_page_needs_no_key_shows_the_request_and_sends_no_referrer_and_HEAD_shows_nothing_more()
    {
        var request = await Submit("My <b>order</b> is late");
        var url = $"/take/{Token(request.Id, DateTimeOffset.UtcNow.AddDays(1))}";
        using var client = Client();

        var page = await client.GetAsync(url);
        var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("no-store", page.Headers.CacheControl!.ToString());
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("My &lt;b&gt;order&lt;/b&gt; is late", html);
        Assert.Contains("Nobody has it yet.", html);
        Assert.DoesNotContain("action=\"/take", html);
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Null((await View(request.Id)).Acknowledgement);
    }

    [Fact]
    public async Task The_form_takes_it_via_link_and_only_with_its_anti_forgery_token_and_a_name()
    {
        var request = await Submit("Please call me");
        var url = $"/take/{Token(request.Id, DateTimeOffset.UtcNow.AddDays(1))}";
        using var client = Client();

        // A POST made elsewhere (no token from the page): nothing happens.
        var forged = await client.PostAsync(url, new FormUrlEncodedContent(new Dictionary<string, string> { ["by"] = "Mallory" }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Null((await View(request.Id)).Acknowledgement);

        var token = FormToken().Match(await client.GetStringAsync(url)).Groups[1].Value;
        var nameless = await client.PostAsync(url, Form(token, ""));
        Assert.Equal(HttpStatusCode.BadRequest, nameless.StatusCode);
        Assert.Contains("Type your name", await nameless.Content.ReadAsStringAsync());

        var taken = await client.PostAsync(url, Form(token, "  Frank  "));
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.Contains("You have it, Frank.", await taken.Content.ReadAsStringAsync());
        var view = await View(request.Id);
        Assert.Equal(("Frank", AcknowledgementVia.Link), (view.Acknowledgement!.By, view.Acknowledgement.Via));

        // Someone else with the same link: told who has it and since when.
        using var other = Client();
        var otherToken = FormToken().Match(await other.GetStringAsync(url));
        Assert.False(otherToken.Success); // no form once it is taken
        Assert.Contains("<strong>Frank</strong> has it, since", await other.GetStringAsync(url));
    }

    [Fact]
    public async Task Expired_changed_and_unknown_links_answer_a_page_that_says_which()
    {
        var request = await Submit("Too late?");
        using var client = Client();

        var expired = await client.GetAsync($"/take/{Token(request.Id, DateTimeOffset.UtcNow.AddSeconds(-1))}");
        var token = Token(request.Id, DateTimeOffset.UtcNow.AddDays(1));
        var changed = await client.GetAsync($"/take/{token[..^1]}{(token[^1] == 'A' ? 'B' : 'A')}");
        var otherKey = await client.GetAsync($"/take/{LinkTokens.Sign(Encoding.UTF8.GetBytes("not this service's key, 32 characters+"), new TakeLink(request.Id, "slack", DateTimeOffset.UtcNow.AddDays(1)))}");
        var unknown = await client.GetAsync($"/take/{Token(Guid.NewGuid(), DateTimeOffset.UtcNow.AddDays(1))}");
        var postExpired = await client.PostAsync($"/take/{Token(request.Id, DateTimeOffset.UtcNow.AddSeconds(-1))}", Form("", "Gina"));

        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Contains("This link has expired", await expired.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, changed.StatusCode);
        Assert.Contains("This link does not work", await changed.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, otherKey.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("No such request", await unknown.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Gone, postExpired.StatusCode);
        Assert.All(new[] { expired, changed, unknown }, r => Assert.Equal("no-referrer", r.Headers.GetValues("Referrer-Policy").Single()));
        Assert.Null((await View(request.Id)).Acknowledgement);
    }

    private static FormUrlEncodedContent Form(string token, string by) =>
        new(new Dictionary<string, string> { [Forms.TokenField] = token, ["by"] = by });

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex FormToken();
}
