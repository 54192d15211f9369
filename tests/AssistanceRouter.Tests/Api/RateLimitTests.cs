using System.Net;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Api;

/// <summary><c>Api:RateLimit</c>: each client (its API key, else its address) gets its own bucket; over it, 429 with Retry-After.</summary>
public sealed class RateLimitTests(RateLimitTests.LimitedApi api) : IClassFixture<RateLimitTests.LimitedApi>
{
    public const int Burst = 3;

    public sealed class LimitedApi() : ApiFactory(new Dictionary<string, string?>
    {
        ["Api:RateLimit:PermitsPerSecond"] = "0.2", // one every 5 s: nothing refills within a test
        ["Api:RateLimit:Burst"] = Burst.ToString(),
        ["Api:Keys:0"] = "key-a-0123456789abcdef0123456789",
        ["Api:Keys:1"] = "key-b-0123456789abcdef0123456789",
        ["Api:Keys:2"] = "key-c-0123456789abcdef0123456789",
        ["Api:Keys:3"] = "key-d-0123456789abcdef0123456789",
    });

    private HttpClient Client(string? key)
    {
        var client = api.CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    [Fact]
    public async Task A_key_past_its_burst_gets_429_with_Retry_After_while_another_key_goes_on()
    {
        var a = Client("key-a-0123456789abcdef0123456789");
        for (var i = 0; i < Burst; i++)
            Assert.Equal(HttpStatusCode.OK, (await a.GetAsync("/topics")).StatusCode);

        var refused = await a.GetAsync("/topics");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {refused.Headers.RetryAfter}");
        Assert.Contains("retry after", (await Problems.ReadAsync(refused)).Detail);
        Assert.Equal(HttpStatusCode.OK, (await Client("key-b-0123456789abcdef0123456789").GetAsync("/topics")).StatusCode);
    }

    [Fact]
    public async Task A_client_that_does_not_accept_JSON_gets_its_429_as_problem_json_all_the_same()
    {
        var d = Client("key-d-0123456789abcdef0123456789");
        d.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        for (var i = 0; i < Burst; i++) await d.GetAsync("/topics");

        var refused = await d.GetAsync("/topics");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("retry after", (await Problems.ReadAsync(refused)).Detail);
    }

    [Fact]
    public async Task Health_is_never_limited()
    {
        var c = Client("key-c-0123456789abcdef0123456789");
        for (var i = 0; i < Burst + 1; i++) await c.GetAsync("/topics");

        for (var i = 0; i < 10; i++)
            Assert.Equal(HttpStatusCode.OK, (await c.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task Guessing_keys_is_limited_by_address()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < Burst + 2; i++)
            statuses.Add((await Client($"guess-{i}").GetAsync("/topics")).StatusCode);

        Assert.Contains(HttpStatusCode.Unauthorized, statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
    }
}

/// <summary>Without <c>Api:RateLimit</c> nothing is limited.</summary>
public sealed class NoRateLimitTests(UnconfiguredApiFactory api) : IClassFixture<UnconfiguredApiFactory>
{
    [Fact]
    public async Task Many_requests_in_a_row_all_pass()
    {
        var client = api.CreateClient();
        for (var i = 0; i < 50; i++)
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/topics")).StatusCode);
    }
}

/// <summary>Every page and answer says: do not sniff, do not frame, run only our own scripts.</summary>
public sealed class SecurityHeadersTests(UnconfiguredApiFactory api) : IClassFixture<UnconfiguredApiFactory>
{
    [Theory]
    [InlineData("/dashboard/")]
    [InlineData("/docs/index.html")]
    [InlineData("/swagger/index.html")]
    [InlineData("/channels")]
    [InlineData("/no-such-page")]
    public async Task Pages_send_nosniff_and_a_policy_that_forbids_framing(string path)
    {
        var response = await api.CreateClient().GetAsync(path);

        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("script-src 'self'", policy);
        Assert.DoesNotContain("unsafe-eval", policy);
    }
}
