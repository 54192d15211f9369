using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Tests.Infrastructure;
using Xunit.Abstractions;

namespace AssistanceRouter.Tests.Durability;

/// <summary>
/// A channel's queue lives in storage, not in one process's memory: after a crash or a restart it is visible at once,
/// goes out at the channel's current rate, and nothing is lost or sent twice.
/// </summary>
[Trait(TestCategory.Name, TestCategory.Slow)]
public sealed class ChannelQueueRecoveryTests(ITestOutputHelper output)
{
    private static Dictionary<string, string> SlowSlack(int receiverPort, string rate) => new()
    {
        ["SLACK_WEBHOOK_URL"] = $"http://127.0.0.1:{receiverPort}/hook",
        ["Channels__Slack__RatePerSecond"] = rate,
        ["Channels__Slack__Burst"] = "1",
        ["Escalation__RenotifyAfter"] = "00:00:00",
    };

    private static async Task<Guid[]> SubmitMany(NodeProcess product, int count)
    {
        var ids = new Guid[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var response = await product.Http.PostAsJsonAsync("/assistance-requests", new { topic = "sales", description = $"backlog {i}" });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            ids[i] = (await response.Content.ReadFromJsonAsync<AssistanceRequestView>(ApiFactory.Json))!.Id;
        });
        return ids;
    }

    private static async Task<ChannelView> Channel(NodeProcess product, string name) =>
        (await product.Http.GetFromJsonAsync<ChannelView[]>("/channels", ApiFactory.Json))!.Single(c => c.Name == name);

    [Fact]
    public async Task A_backlog_killed_9_goes_out_at_the_rate_configured_for_the_restart_each_request_once()
    {
        const int count = 1000;
        await using var slack = await LoopbackReceiver.StartAsync();
        await using var product = new NodeProcess(SlowSlack(slack.Url.Port, "1"));
        await product.StartAsync();
        var ids = await SubmitMany(product, count);
        var pendingBefore = (await Channel(product, "slack")).Pending; // one a second went while the rest came in
        Assert.InRange(pendingBefore, count - 60, count);
        product.Kill();
        var sentBefore = slack.Requests.Count;

        product.Settings["Channels__Slack__RatePerSecond"] = "200";
        product.Settings["Channels__Slack__Burst"] = "20";
        await product.StartAsync();
        var restartedAt = DateTime.UtcNow;
        var view = await Channel(product, "slack");
        var sentSince = slack.Requests.Count - sentBefore;
        // Stored, so visible at once: what was pending is pending still, but for what the new rate already sent.
        Assert.True(view.Pending > 0 && view.Pending + sentSince >= pendingBefore - 2, $"pending {view.Pending}, sent since the restart {sentSince}, before the kill {pendingBefore}");
        Assert.NotNull(view.OldestPendingAge);

        await slack.WaitForRequestsAsync(count, TimeSpan.FromSeconds(60));
        var took = DateTime.UtcNow - restartedAt;
        // Anything sent twice has arrived once the channel holds nothing more, stored or in flight.
        await Eventually.Until(() => Channel(product, "slack"), c => c.Pending == 0 && c.InFlight == 0, "the Slack channel to hold nothing");
        var perRequest = ids.ToDictionary(id => id, id => slack.Requests.Count(r => r.Body.Contains(id.ToString())));
        output.WriteLine($"{count} delivered {took.TotalSeconds:0.0} s after the restart; duplicated {perRequest.Values.Sum() - count}");
        Assert.All(perRequest, p => Assert.True(p.Value >= 1, $"request {p.Key} never arrived"));
        // Each once: only a send in flight at the moment of the kill may go twice (its outcome was never recorded).
        Assert.True(perRequest.Values.Sum() - count <= 1, $"{perRequest.Values.Sum() - count} duplicates");
    }

    [Fact]
    public async Task After_a_graceful_restart_the_queue_resumes_within_seconds()
    {
        await using var slack = await LoopbackReceiver.StartAsync();
        await using var product = new NodeProcess(SlowSlack(slack.Url.Port, "5"));
        await product.StartAsync();
        await SubmitMany(product, 300);
        await product.TerminateAsync();
        var before = slack.Requests.Count;

        await product.StartAsync();
        var readyAt = DateTimeOffset.UtcNow;
        await slack.WaitForRequestsAsync(before + 1, TimeSpan.FromSeconds(30));
        var first = slack.Requests[before].At - readyAt;
        output.WriteLine($"first delivery {first.TotalSeconds:0.00} s after the restart was ready; {before} went before the SIGTERM");
        Assert.True(first < TimeSpan.FromSeconds(5), $"the first delivery came {first.TotalSeconds:0.0} s after the restart");
    }

    [Fact]
    public async Task An_escalation_step_due_while_the_process_is_down_still_runs_after_the_restart()
    {
        await using var a = await LoopbackReceiver.StartAsync();
        await using var b = await LoopbackReceiver.StartAsync();
        await using var product = new NodeProcess(new Dictionary<string, string>
        {
            ["Channels__A__Kind"] = "Webhook",
            ["Channels__A__Url"] = a.Url.ToString(),
            ["Channels__B__Kind"] = "Webhook",
            ["Channels__B__Url"] = b.Url.ToString(),
            ["Routing__Topics__urgent__0"] = "a",
            ["Routing__Escalation__urgent__Steps__0__After"] = "00:00:04",
            ["Routing__Escalation__urgent__Steps__0__Channels__0"] = "b",
            ["Escalation__ReminderPeriod"] = "00:00:02",
        });
        await product.StartAsync();
        var response = await product.Http.PostAsJsonAsync("/assistance-requests", new { topic = "urgent", description = "crash before the step" });
        var accepted = (await response.Content.ReadFromJsonAsync<AssistanceRequestView>(ApiFactory.Json))!;
        var id = accepted.Id;
        await a.WaitForRequestsAsync(1, TimeSpan.FromSeconds(10));
        product.Kill();
        Assert.Empty(b.Requests);

        // The real clock is the point: the step falls due while nothing runs.
        var due = accepted.CreatedAt + TimeSpan.FromSeconds(4);
        await Eventually.True(() => DateTimeOffset.UtcNow > due, "the step's moment to pass while the process is down", TimeSpan.FromSeconds(10));
        await product.StartAsync();
        var reached = await b.WaitForRequestsAsync(1, TimeSpan.FromSeconds(30));
        Assert.Equal(id, JsonDocument.Parse(reached[0].Body).RootElement.GetProperty("requestId").GetGuid());
        var view = (await product.Http.GetFromJsonAsync<AssistanceRequestView>($"/assistance-requests/{id}", ApiFactory.Json))!;
        Assert.Equal(1, view.Escalation!.Step);
    }
}
