using System.Net;
using System.Net.Http.Json;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Durability;

/// <summary>An operator holds a channel while its receiver is fixed: it keeps its queue, sends nothing, and stays held across a crash.</summary>
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class ChannelPauseTests
{
    private static async Task<ChannelView> Slack(NodeProcess product) =>
        (await product.Http.GetFromJsonAsync<ChannelView[]>("/channels", ApiFactory.Json))!.Single(c => c.Name == "slack");

    [Fact]
    public async Task A_paused_channel_keeps_its_queue_through_a_kill_9_and_sends_it_once_resumed()
    {
        await using var slack = await LoopbackReceiver.StartAsync();
        await using var product = new NodeProcess(new Dictionary<string, string>
        {
            ["SLACK_WEBHOOK_URL"] = slack.Url.ToString(),
            ["Channels__Slack__RatePerSecond"] = "100",
            ["Escalation__RenotifyAfter"] = "00:00:00",
        });
        await product.StartAsync();

        var paused = await product.Http.PostAsync("/channels/slack/pause", NoBody.Json());
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.True((await paused.Content.ReadFromJsonAsync<ChannelView>(ApiFactory.Json))!.Paused);
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            var response = await product.Http.PostAsJsonAsync("/assistance-requests", new { topic = "sales", description = $"held {i}" });
            ids.Add((await response.Content.ReadFromJsonAsync<AssistanceRequestView>(ApiFactory.Json))!.Id);
        }
        var held = await Slack(product);
        Assert.True(held.Paused);
        Assert.Equal(5, held.Pending);

        product.Kill();
        await product.StartAsync();
        Assert.True((await Slack(product)).Paused);

        // Nothing went while it was held: every notice arrives after the resume was asked for, none before.
        var resumedAt = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.OK, (await product.Http.PostAsync("/channels/slack/resume", NoBody.Json())).StatusCode);
        await slack.WaitForRequestsAsync(5, TimeSpan.FromSeconds(20));
        Assert.All(ids, id => Assert.Single(slack.Requests, r => r.Body.Contains(id.ToString())));
        Assert.All(slack.Requests, r => Assert.True(r.At >= resumedAt, $"a notice arrived at {r.At:O}, before the resume at {resumedAt:O}"));
        Assert.Equal(HttpStatusCode.NotFound, (await product.Http.PostAsync("/channels/nosuch/pause", NoBody.Json())).StatusCode);
    }
}
