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

    [Fact]
    public async Task A_topic_keeps_the_escalation_it_was_given_and_its_requests_show_the_coming_step()
    {
        var put = await client.PutAsJsonAsync("/topics/vip", new
        {
            channels = new[] { "console" },
            escalation = new { steps = new[] { new { after = "00:05:00", channels = new[] { "email" } } }, repeat = 1 },
        });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var route = await client.GetFromJsonAsync<JsonElement>("/topics/vip");
        Assert.Equal(1, route.GetProperty("escalation").GetProperty("repeat").GetInt32());
        Assert.Equal("00:05:00", route.GetProperty("escalation").GetProperty("steps")[0].GetProperty("after").GetString());

        var (accepted, request) = await api.SubmitAsync("vip", "Escalate me");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(2, request!.Escalation!.Steps);
        Assert.Equal(request.CreatedAt + TimeSpan.FromMinutes(5), request.Escalation.NextAt);
    }

    [Theory]
    [InlineData("support", """{"channels": ["slack", "pager"]}""", "pager")]
    [InlineData("support", """{"channels": []}""", "at least one")]
    [InlineData("support", """{}""", "at least one")]
    [InlineData("bad topic!", """{"channels": ["slack"]}""", "not a valid topic name")]
    [InlineData("support", """{"channels": ["slack"], "escalation": {"steps": [{"after": "00:05:00", "channels": ["pager"]}]}}""", "pager")]
    [InlineData("support", """{"channels": ["slack"], "escalation": {"steps": [{"after": "00:05:00", "channels": ["email"]}, {"after": "00:01:00", "channels": ["email"]}]}}""", "later than step 1")]
    [InlineData("support", """{"channels": ["slack"], "escalation": {"steps": [{"after": "00:05:00", "channels": []}]}}""", "at least one channel")]
    [InlineData("support", """{"channels": ["slack"], "escalation": {"steps": [], "repeat": 2}}""", "'repeat' needs steps")]
    public async Task A_bad_route_is_refused_saying_why(string topic, string body, string detail)
    {
        var response = await client.PutAsync($"/topics/{Uri.EscapeDataString(topic)}", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await Problems.ReadAsync(response);
        Assert.Contains(detail, problem.Detail);
        if (detail == "pager") Assert.Contains("console, email, slack", problem.Detail);
    }
}
