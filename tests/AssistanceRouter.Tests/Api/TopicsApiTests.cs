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
        var problem = await Problems.ReadAsync(response);
        Assert.Contains(detail, problem.Detail);
        if (detail == "pager") Assert.Contains("console, email, slack", problem.Detail);
    }
}
