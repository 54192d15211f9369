using System.Net;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Api;

public sealed class ApiKeyTests(ApiKeyTests.KeyedApi api) : IClassFixture<ApiKeyTests.KeyedApi>
{
    public sealed class KeyedApi() : ApiFactory(new Dictionary<string, string?> { ["Api:Keys:0"] = "first-key-0123456789abcdef0123456789", ["Api:Keys:1"] = "second-key-0123456789abcdef0123456789" });

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("wrong", HttpStatusCode.Unauthorized)]
    [InlineData("second-key-0123456789abcdef0123456789", HttpStatusCode.OK)]
    public async Task With_keys_configured_the_API_needs_one(string? key, HttpStatusCode expected)
    {
        var client = api.CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Add("X-Api-Key", key);

        var response = await client.GetAsync("/topics");

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Unauthorized) Assert.Contains("X-Api-Key", (await Problems.ReadAsync(response)).Detail);
    }

    /// <summary>No problem details writer takes such a client; the 401 must not become a 500 for it.</summary>
    [Theory]
    [InlineData("text/html")]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    public async Task A_client_that_does_not_accept_JSON_gets_its_401_as_problem_json_all_the_same(string accept)
    {
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Accept.ParseAdd(accept);

        var response = await client.GetAsync("/topics");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("X-Api-Key", (await Problems.ReadAsync(response)).Detail);
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
