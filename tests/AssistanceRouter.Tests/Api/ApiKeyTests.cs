using System.Net;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Api;

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
        if (expected == HttpStatusCode.Unauthorized) Assert.Contains("X-Api-Key", (await Problems.ReadAsync(response)).Detail);
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
