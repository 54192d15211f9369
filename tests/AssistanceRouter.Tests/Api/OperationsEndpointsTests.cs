using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Api;

public sealed class OperationsEndpointsTests(UnconfiguredApiFactory api) : IClassFixture<UnconfiguredApiFactory>
{
    private readonly HttpClient client = api.CreateClient();

    [Theory]
    [InlineData("/docs/index.html", "swagger-ui")]
    [InlineData("/swagger/index.html", "swagger-ui")]
    [InlineData("/dashboard/", "Orleans Dashboard")]
    public async Task Swagger_UI_and_the_dashboard_are_served(string path, string marker)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(marker, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_API_document_describes_the_API_but_not_the_dashboard()
    {
        var document = await client.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToArray();

        Assert.Contains("/assistance-requests", paths);
        Assert.Contains("/assistance-requests/{id}", paths);
        Assert.Contains("/topics/{topic}", paths);
        Assert.Contains("/channels", paths);
        Assert.DoesNotContain(paths, p => p.StartsWith("/dashboard", StringComparison.Ordinal));
        Assert.DoesNotContain(paths, p => p.StartsWith("/health", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_report_healthy(string path)
    {
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Channels_lists_each_channel_with_its_limits_and_whether_it_can_send()
    {
        var channels = await client.GetFromJsonAsync<JsonElement[]>("/channels");
        var slack = channels!.Single(c => c.GetProperty("name").GetString() == "slack");

        Assert.Equal("Slack", slack.GetProperty("kind").GetString());
        Assert.Equal(1, slack.GetProperty("ratePerSecond").GetDouble());
        Assert.Equal(1, slack.GetProperty("burst").GetInt32());
        Assert.False(slack.GetProperty("configured").GetBoolean());
        Assert.Contains("SLACK_WEBHOOK_URL", slack.GetProperty("lastError").GetString());
        Assert.Contains(channels!, c => c.GetProperty("name").GetString() == "email");
        Assert.Contains(channels!, c => c.GetProperty("name").GetString() == "console");
    }
}
