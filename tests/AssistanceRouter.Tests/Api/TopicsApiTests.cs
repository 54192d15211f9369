using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Api;

public sealed class TopicsApiTests(UnconfiguredApiFactory api) : IClassFixture<UnconfiguredApiFactory>
{
    private readonly HttpClient client = api.CreateClient();

    [Fact]
    public async Task A_topic_put_at_runtime_takes_requests_at_once_and_delete_removes_it()
    {
        var put = await client.PutAsJsonAsync("/topics/Refunds", new { channels = new[] { "console", "slack" } });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);

        var route = await client.GetFromJsonAsync<JsonElement>("/topics/refunds");
        Assert.Equal(["console", "slack"], route.GetProperty("channels").EnumerateArray().Select(c => c.GetString()));
        var (accepted, _) = await api.SubmitAsync("refunds", "Where is my money?");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/topics/refunds")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync("/topics/refunds")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/topics/refunds")).StatusCode);
        var (refused, _) = await api.SubmitAsync("refunds", "Where is my money?");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }

    [Theory]
    [InlineData("support", """{"channels": ["slack", "pager"]}""", "pager")]
    [InlineData("support", """{"channels": []}""", "at least one")]
    [InlineData("support", """{}""", "at least one")]
    [InlineData("bad topic!", """{"channels": ["slack"]}""", "not a valid topic name")]
    public async Task A_bad_route_is_refused_saying_why(string topic, string body, string detail)
    {
        var response = await client.PutAsync($"/topics/{Uri.EscapeDataString(topic)}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await SubmissionValidationTests.ProblemOf(response);
        Assert.Contains(detail, problem.Detail);
        if (detail == "pager") Assert.Contains("console, email, slack", problem.Detail);
    }
}

public sealed class ApiKeyTests(ApiKeyTests.KeyedApi api) : IClassFixture<ApiKeyTests.KeyedApi>
{
    public sealed class KeyedApi() : ApiFactory(new Dictionary<string, string?> { ["Api:Keys:0"] = "first-key", ["Api:Keys:1"] = "second-key" });

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong", HttpStatusCode.Unauthorized)]
    [InlineData("second-key", HttpStatusCode.OK)]
    public async Task With_keys_configured_the_API_needs_one(string? key, HttpStatusCode expected)
    {
        var client = api.CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);

        var response = await client.GetAsync("/topics");

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Unauthorized) Assert.Contains("X-Api-Key", (await SubmissionValidationTests.ProblemOf(response)).Detail);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/docs/index.html")]
    [InlineData("/swagger/v1/swagger.json")]
    [InlineData("/metrics")]
    public async Task Health_docs_and_metrics_stay_open(string path)
    {
        Assert.Equal(HttpStatusCode.OK, (await api.CreateClient().GetAsync(path)).StatusCode);
    }
}
