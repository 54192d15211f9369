using System.Net;
using System.Net.Http.Json;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AssistanceRouter.Tests.Slack;

/// <summary>
/// The window Slack leaves open: the message is posted, and the process dies before it has stored the <c>ts</c> that
/// Slack answered (<c>chat.postMessage</c> has no idempotency key). The product guarantees <b>never orphaned</b>
/// (<c>SlackAppSender</c>, docs/slack.md): after the restart the request is posted again, and its thread and
/// updates follow the message whose address it stored, so the request is never left without a message it can
/// address. The price, a second copy of the first post, is what this test counts.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class SlackCrashWindowTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Killed_between_Slacks_answer_and_the_stored_ts_the_request_is_posted_again_and_its_updates_follow_the_stored_message()
    {
        await using var slack = await SlackWebApi.StartAsync(FreePort.Next()); // outlives the node: Slack keeps what was posted
        var marker = Guid.NewGuid().ToString("N");
        slack.HoldPosts = marker; // posted, but the answer never comes back: the node is killed while it waits
        await using var node = new NodeProcess(new Dictionary<string, string>
        {
            ["Channels__Slack__BotToken"] = SlackWebApi.Token,
            ["Channels__Slack__ChannelId"] = SlackWebApi.ChannelId,
            ["Channels__Slack__SigningSecret"] = SlackAppFixture.SigningSecret,
            ["Channels__Slack__ApiBaseUrl"] = slack.ApiBaseUrl.ToString(),
            ["Escalation__RenotifyAfter"] = "00:00:00",
            ["Delivery__InitialBackoff"] = "00:00:00.200",
            ["Delivery__MaxBackoff"] = "00:00:01",
        });
        await node.StartAsync();
        var submitted = await node.Http.PostAsJsonAsync("/assistance-requests", new { topic = "sales", description = $"Crash window {marker}" });
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var id = (await submitted.Content.ReadFromJsonAsync<AssistanceRequestView>(ApiFactory.Json))!.Id;

        var inTheWindow = (await slack.WaitForMessagesAsync(m => m.ThreadTs is null && m.Body.ToJsonString().Contains(marker), 1)).Single();
        node.Kill();
        slack.HoldPosts = null;
        await node.StartAsync();

        // Never orphaned: posted again, and the address stored is that of the post whose answer arrived.
        var posts = await slack.WaitForMessagesAsync(m => m.ThreadTs is null && m.Body.ToJsonString().Contains(marker), 2, TimeSpan.FromSeconds(60));
        await Eventually.Until(() => node.Http.GetFromJsonAsync<AssistanceRequestView>($"/assistance-requests/{id}", ApiFactory.Json),
            view => view!.Status == RequestStatus.Delivered, "the request to be delivered after the restart", TimeSpan.FromSeconds(60));
        var stored = posts.Single(p => p.Ts != inTheWindow.Ts);
        var taken = await node.Http.PostAsJsonAsync($"/assistance-requests/{id}/acknowledge", new { by = "dana" });
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        await slack.WaitForMessagesAsync(m => m.Ts == stored.Ts && m.Updates > 0, 1);
        await slack.WaitForMessagesAsync(m => m.ThreadTs == stored.Ts, 1);

        Assert.Equal(2, slack.Messages.Count(m => m.ThreadTs is null && m.Body.ToJsonString().Contains(marker)));
        Assert.Equal(0, slack.Messages.Single(m => m.Ts == inTheWindow.Ts).Updates);
        Assert.DoesNotContain(slack.Messages, m => m.ThreadTs == inTheWindow.Ts);
        output.WriteLine($"posted in the window: {inTheWindow.Ts}; posted again after the restart and stored: {stored.Ts}; updates and replies went to {stored.Ts}");
    }
}
