using System.Net;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace AssistanceRouter.Tests.Durability;

/// <summary>
/// When storage cannot be written (a full disk), the API says so with a 503 (never a 500), readiness says so too,
/// and what is in memory never runs ahead of what is stored: once writes work again every accepted request ends
/// Delivered, none stranded as pending.
/// </summary>
public sealed class StorageFailureTests : IAsyncLifetime
{
    private readonly StorageFaults faults = new();
    private LoopbackReceiver slack = null!;
    private FaultyApiFactory api = null!;

    public async Task InitializeAsync()
    {
        slack = await LoopbackReceiver.StartAsync();
        api = new FaultyApiFactory(new Dictionary<string, string?>
        {
            ["SLACK_WEBHOOK_URL"] = slack.Url.ToString(),
            ["Channels:Slack:RatePerSecond"] = "20",
            ["Channels:Slack:Burst"] = "1",
        }, faults);
        _ = api.Server;
    }

    public async Task DisposeAsync()
    {
        await api.DisposeAsync();
        await slack.DisposeAsync();
    }

    [Fact]
    public async Task A_full_disk_answers_503_readiness_says_so_and_once_space_is_freed_everything_accepted_is_delivered()
    {
        var accepted = new List<Guid>();
        for (var i = 0; i < 40; i++)
        {
            var (response, view) = await api.SubmitAsync("sales", $"before the disk filled {i}");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            accepted.Add(view!.Id);
        }

        // The disk fills while the channel is still sending: its attempts cannot be recorded now.
        faults.Failing = true;
        for (var i = 0; i < 5; i++)
        {
            var (response, _) = await api.SubmitAsync("sales", $"while the disk is full {i}");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
        }
        var ready = await api.CreateClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var refused = faults.QueueWritesRefused;
        await Eventually.True(() => faults.QueueWritesRefused >= refused + 3, "the channel's attempts to fail to be recorded three times",
            seen: () => $"{faults.QueueWritesRefused - refused} refused");

        faults.Failing = false;
        foreach (var id in accepted)
            await api.WaitForAsync(id, r => r.Status == RequestStatus.Delivered, TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, (await api.CreateClient().GetAsync("/health/ready")).StatusCode);
        var (after, _) = await api.SubmitAsync("sales", "after space was freed");
        Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);
    }

    /// <summary>
    /// The notice waits in a held channel, so that it is certainly still queued when the record's write fails: the
    /// failed submission takes it back. (On a channel that sends at once it may already have gone: a bot that retries
    /// then causes a second notice, the price of writing the queue first so that nothing accepted is stranded.)
    /// </summary>
    [Fact]
    public async Task A_request_whose_record_cannot_be_written_after_its_notices_were_queued_takes_them_back()
    {
        var client = api.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/channels/slack/pause", NoBody.Json())).StatusCode);
        faults.FailingGrainState = true;
        var marker = Guid.NewGuid().ToString();
        var (response, _) = await api.SubmitAsync("sales", $"refused {marker}");
        faults.FailingGrainState = false;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);

        var (accepted, view) = await api.SubmitAsync("sales", $"accepted after {marker}");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/channels/slack/resume", NoBody.Json())).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        await api.WaitForAsync(view!.Id, r => r.Status == RequestStatus.Delivered);
        Assert.DoesNotContain(slack.Requests, r => r.Body.Contains($"refused {marker}"));
    }

    private sealed class FaultyApiFactory(IDictionary<string, string?> settings, StorageFaults faults) : ApiFactory(settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => StorageFaults.Install(services, faults));
        }
    }
}
