using AssistanceRouter.Tests.Infrastructure;

namespace AssistanceRouter.Tests.HumanLoop;

/// <summary>
/// The product as a single node (SQLite) with two webhook channels on real loopback receivers: topic <c>urgent</c>
/// notifies channel A at once and escalates to B after 3 s; every lifecycle event goes, signed, to a third receiver.
/// </summary>
public sealed class HumanLoopFixture : IAsyncLifetime
{
    /// <summary>Standard Webhooks' secret form: <c>whsec_</c> and the key in base64.</summary>
    public static readonly string EventsSecret = "whsec_" + Convert.ToBase64String("the bot's own secret key"u8.ToArray());

    public static readonly TimeSpan StepAfter = TimeSpan.FromSeconds(3);

    public LoopbackReceiver A { get; private set; } = null!;
    public LoopbackReceiver B { get; private set; } = null!;
    public LoopbackReceiver Events { get; private set; } = null!;
    /// <summary>A channel sending two a second: notices wait in its queue long enough to be cancelled there.</summary>
    public LoopbackReceiver Slow { get; private set; } = null!;
    public ApiFactory Api { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        A = await LoopbackReceiver.StartAsync();
        B = await LoopbackReceiver.StartAsync();
        Events = await LoopbackReceiver.StartAsync();
        Slow = await LoopbackReceiver.StartAsync();
        Api = new ApiFactory(new Dictionary<string, string?>
        {
            ["Channels:A:Kind"] = "Webhook",
            ["Channels:A:Url"] = A.Url.ToString(),
            ["Channels:B:Kind"] = "Webhook",
            ["Channels:B:Url"] = B.Url.ToString(),
            ["Routing:Topics:urgent:0"] = "a",
            ["Routing:Escalation:urgent:Steps:0:After"] = StepAfter.ToString(),
            ["Routing:Escalation:urgent:Steps:0:Channels:0"] = "b",
            ["Routing:Topics:quiet:0"] = "a",
            ["Channels:Slow:Kind"] = "Webhook",
            ["Channels:Slow:Url"] = Slow.Url.ToString(),
            ["Channels:Slow:RatePerSecond"] = "2",
            ["Channels:Slow:Burst"] = "1",
            ["Routing:Topics:slow:0"] = "slow",
            ["Escalation:RenotifyAfter"] = "00:00:00",
            ["Events:Url"] = Events.Url.ToString(),
            ["Events:Secret"] = EventsSecret,
        });
        _ = Api.Server;
    }

    public async Task DisposeAsync()
    {
        await Api.DisposeAsync();
        await A.DisposeAsync();
        await B.DisposeAsync();
        await Events.DisposeAsync();
        await Slow.DisposeAsync();
    }
}
