using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Api;

public sealed class DeadLetterListTests : IAsyncLifetime
{
    private LoopbackReceiver slack = null!;
    private ApiFactory api = null!;

    public async Task InitializeAsync()
    {
        slack = await LoopbackReceiver.StartAsync();
        slack.Respond = (_, _) => new Reply(404, "channel_not_found");
        api = new ApiFactory(new Dictionary<string, string?>
        {
            ["SLACK_WEBHOOK_URL"] = slack.Url.ToString(),
            ["Channels:Slack:RatePerSecond"] = "1000",
            ["Channels:Slack:Burst"] = "100",
        });
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await slack.DisposeAsync();
    }

    [Fact]
    public async Task Failed_requests_are_listed_newest_first_in_pages_until_acknowledged()
    {
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var (_, accepted) = await api.SubmitAsync("sales", $"dead letter {i}");
            await api.WaitForAsync(accepted!.Id, r => r.Status == RequestStatus.Failed);
            ids.Add(accepted.Id);
        }
        var client = api.CreateClient();

        var first = await client.GetFromJsonAsync<JsonElement>("/assistance-requests?status=Failed&page=1&pageSize=2");
        var second = await client.GetFromJsonAsync<JsonElement>("/assistance-requests?status=Failed&page=2&pageSize=2");
        var third = await client.GetFromJsonAsync<JsonElement>("/assistance-requests?status=Failed&page=3&pageSize=2");

        Assert.Equal(5, first.GetProperty("total").GetInt32());
        var listed = new[] { first, second, third }.SelectMany(p => p.GetProperty("items").EnumerateArray()).ToArray();
        Assert.Equal(Enumerable.Reverse(ids), listed.Select(v => v.GetProperty("id").GetGuid()));
        Assert.All(listed, v => Assert.Contains("channel_not_found", v.GetProperty("deliveries")[0].GetProperty("lastError").GetString()));

        await client.PostAsync($"/assistance-requests/{ids[0]}/acknowledge", NoBody.Json());
        var after = await client.GetFromJsonAsync<JsonElement>("/assistance-requests?status=Failed&pageSize=100");
        Assert.Equal(4, after.GetProperty("total").GetInt32());
        Assert.DoesNotContain(ids[0], after.GetProperty("items").EnumerateArray().Select(v => v.GetProperty("id").GetGuid()));
    }

    [Theory]
    [InlineData("/assistance-requests", "status")]
    [InlineData("/assistance-requests?status=Delivered", "status")]
    [InlineData("/assistance-requests?status=Bogus", "status")]
    [InlineData("/assistance-requests?status=Failed&pageSize=1000", "pageSize")]
    [InlineData("/assistance-requests?status=Failed&page=0", "page")]
    public async Task Listing_anything_but_failed_requests_is_refused(string path, string field)
    {
        var response = await api.CreateClient().GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, (await Problems.ReadAsync(response)).Detail);
    }
}
