using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.Delivery;

/// <summary>Receivers that misbehave the ways real ones do, each behind a channel of its own.</summary>
public sealed class ResilienceFixture : IAsyncLifetime
{
    /// <summary>Enforces about one message a second, as Slack does, answering 429 with Retry-After to anything faster.</summary>
    public LoopbackReceiver Paced { get; private set; } = null!;

    /// <summary>Answers 503 to about 30% of requests.</summary>
    public LoopbackReceiver Flaky { get; private set; } = null!;

    /// <summary>Scripted per test: 429s, hangs.</summary>
    public LoopbackReceiver Scripted { get; private set; } = null!;

    public ApiFactory Api { get; private set; } = null!;

    public int PacedRejections;

    public async Task InitializeAsync()
    {
        Paced = await LoopbackReceiver.StartAsync();
        // Slack's limit as its docs put it: about one a second, short bursts allowed. Modelled as a
        // GCRA: the long-run pace is one a second, and an arrival may be up to half a second early,
        // because the time a request spends on the wire (longer on a loaded machine) is not ours to pace.
        DateTimeOffset? theoreticalArrival = null;
        Paced.Respond = (request, _) =>
        {
            lock (Paced)
            {
                if (request.At < theoreticalArrival - TimeSpan.FromMilliseconds(500))
                {
                    Interlocked.Increment(ref PacedRejections);
                    return new Reply(429, """{"ok":false,"error":"rate_limited","retry_after":1}""", RetryAfter: "1");
                }
                theoreticalArrival = (theoreticalArrival > request.At ? theoreticalArrival.Value : request.At) + TimeSpan.FromSeconds(1);
                return Reply.Ok;
            }
        };
        Flaky = await LoopbackReceiver.StartAsync();
        var random = new Random(30);
        Flaky.Respond = (_, _) => { lock (random) return random.NextDouble() < 0.3 ? new Reply(503, "try again") : Reply.Ok; };
        Scripted = await LoopbackReceiver.StartAsync();

        Api = new ApiFactory(new Dictionary<string, string?>
        {
            ["SLACK_WEBHOOK_URL"] = Paced.Url.ToString(), // Slack's default limit: 1 a second, burst 1
            ["Channels:Flaky:Kind"] = "Webhook",
            ["Channels:Flaky:Url"] = Flaky.Url.ToString(),
            ["Channels:Flaky:RatePerSecond"] = "1000",
            ["Channels:Flaky:Burst"] = "100",
            ["Channels:Limited:Kind"] = "Slack",
            ["Channels:Limited:WebhookUrl"] = Scripted.Url.ToString(),
            ["Channels:Limited:RatePerSecond"] = "100",
            ["Channels:Limited:Burst"] = "10",
            ["Delivery:AttemptTimeout"] = "00:00:00.500",
            ["Routing:Topics:sales:0"] = "slack",
            ["Routing:Topics:flaky:0"] = "flaky",
            ["Routing:Topics:limited:0"] = "limited",
        });
        _ = Api.Server;
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await Paced.DisposeAsync();
        await Flaky.DisposeAsync();
        await Scripted.DisposeAsync();
    }
}
