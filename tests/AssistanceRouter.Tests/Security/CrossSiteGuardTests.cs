using System.Net;
using System.Net.Http.Json;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Security;

/// <summary>
/// The rule behind the browser test (<see cref="Browser.CrossSiteBrowserTests"/>), header by header, including what
/// browsers without <c>Sec-Fetch-*</c> send: programs, which send neither header, keep working; a valid key is consent.
/// </summary>
public sealed class CrossSiteGuardTests(UnconfiguredApiFactory api) : IClassFixture<UnconfiguredApiFactory>
{
    public const string Key = "cross-site-guard-key-0123456789abcdef";

    private async Task<HttpResponseMessage> PauseAsync(ApiFactory factory, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/channels/console/pause") { Content = NoBody.Json() };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        var response = await factory.CreateClient().SendAsync(request);
        if (response.IsSuccessStatusCode) await factory.CreateClient().PostAsync("/channels/console/resume", NoBody.Json());
        return response;
    }

    [Fact]
    public async Task A_program_sending_no_Origin_and_no_Sec_Fetch_headers_changes_things_as_before()
    {
        Assert.Equal(HttpStatusCode.OK, (await PauseAsync(api)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.CreateClient().PostAsJsonAsync("/assistance-request", new { topic = "sales", description = "old bot" })).StatusCode);
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    [InlineData("Origin", "http://127.0.0.2:8000")]
    [InlineData("Origin", "http://localhost.evil.example")]
    [InlineData("Origin", "null")]
    public async Task A_browser_request_from_another_site_is_a_403_that_says_so(string header, string value)
    {
        var response = await PauseAsync(api, (header, value));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("another site", (await Problems.ReadAsync(response)).Detail);
        Assert.False(await PausedAsync(api));
    }

    [Fact]
    public async Task The_nodes_own_pages_and_a_caller_with_a_valid_key_are_not_another_site()
    {
        Assert.Equal(HttpStatusCode.OK, (await PauseAsync(api, ("Origin", "http://localhost"), ("Sec-Fetch-Site", "same-origin"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PauseAsync(api, ("Origin", "http://localhost"))).StatusCode);

        await using var keyed = new ApiFactory(new Dictionary<string, string?> { ["Api:Keys:0"] = Key });
        Assert.Equal(HttpStatusCode.OK, (await PauseAsync(keyed, ("X-Api-Key", Key), ("Sec-Fetch-Site", "cross-site"), ("Origin", "https://tool.example"))).StatusCode);
    }

    [Fact]
    public async Task A_state_changing_post_without_a_JSON_content_type_is_a_415_that_says_what_curl_must_send()
    {
        var response = await api.CreateClient().PostAsync("/channels/console/pause", null);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("-H 'Content-Type: application/json'", (await Problems.ReadAsync(response)).Detail);
        Assert.False(await PausedAsync(api));
        // curl -d '{}' says it too: past the guard, to the endpoint's own answer.
        Assert.Equal(HttpStatusCode.NotFound, (await api.CreateClient().PostAsync($"/assistance-requests/{Guid.NewGuid()}/unacknowledge",
            new StringContent("{}", null, "application/json"))).StatusCode);
    }

    [Fact]
    public async Task A_bodiless_post_from_the_nodes_own_page_needs_no_content_type_as_Swagger_UI_sends_it()
    {
        using var fromSwaggerUi = new HttpRequestMessage(HttpMethod.Post, "/channels/console/pause");
        fromSwaggerUi.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");
        fromSwaggerUi.Headers.TryAddWithoutValidation("Origin", "http://localhost");
        Assert.Equal(HttpStatusCode.OK, (await api.CreateClient().SendAsync(fromSwaggerUi)).StatusCode);
        Assert.True(await PausedAsync(api));
        await api.CreateClient().PostAsync("/channels/console/resume", NoBody.Json());

        // A body still has to be JSON, from any page.
        using var form = new HttpRequestMessage(HttpMethod.Post, "/channels/console/pause") { Content = new StringContent("a=b", null, "application/x-www-form-urlencoded") };
        form.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await api.CreateClient().SendAsync(form)).StatusCode);
        Assert.False(await PausedAsync(api));
    }

    private static async Task<bool> PausedAsync(ApiFactory factory) =>
        (await factory.CreateClient().GetFromJsonAsync<System.Text.Json.JsonElement>("/channels")).EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == "console").GetProperty("paused").GetBoolean();
}
