using System.Text.Json;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Escalation;
using AssistanceRouter.Grains.Hosting;
using AssistanceRouter.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace AssistanceRouter.Tests.HumanLoop;

/// <summary>
/// A silo whose clock is a <see cref="FakeTimeProvider"/> (grain timers, reminders, rate limits and backoff alike),
/// with two webhook channels on real loopback receivers: escalation timelines run in minutes of fake time.
/// </summary>
public sealed class FakeClockClusterFixture : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);
    public LoopbackReceiver A { get; private set; } = null!;
    public LoopbackReceiver B { get; private set; } = null!;
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        A = await LoopbackReceiver.StartAsync();
        B = await LoopbackReceiver.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Channels:A:Kind"] = "Webhook",
            ["Channels:A:Url"] = A.Url.ToString(),
            ["Channels:B:Kind"] = "Webhook",
            ["Channels:B:Url"] = B.Url.ToString(),
        };
        var builder = new InProcessTestClusterBuilder(1);
        builder.ConfigureSiloHost((_, host) => host.Configuration.AddInMemoryCollection(settings));
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<TimeProvider>(Clock);
            silo.Services.AddKeyedSingleton<TimeProvider>("Orleans.Reminders", Clock);
            silo.AddAssistanceRouterGrains().AddAssistanceRouterMemoryPersistence();
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync();
        await Grains.GrainClusterFixture.WaitForRemindersAsync(Cluster.Client);
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await A.DisposeAsync();
        await B.DisposeAsync();
    }
}

/// <summary>Escalation steps fire when they should, repeat in rounds, and never after a person has the request.</summary>
public sealed class EscalationTimelineTests(FakeClockClusterFixture fixture) : IClassFixture<FakeClockClusterFixture>
{
    private static readonly EscalationPolicy FiveMinutesToB = new([new EscalationStep(TimeSpan.FromMinutes(5), ["b"])], Repeat: 1);

    private async Task<IAssistanceRequestGrain> Submit(EscalationPolicy policy)
    {
        var grain = fixture.Cluster.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid());
        await grain.Submit(new NewAssistanceRequest("urgent", "help", ["a"], null, Escalation: policy));
        return grain;
    }

    private static string[] Kinds(LoopbackReceiver receiver, Guid id) =>
        [.. receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement)
            .Where(b => b.GetProperty("requestId").GetGuid() == id)
            .Select(b => b.GetProperty("kind").GetString()!)];

    private async Task Advance(TimeSpan by)
    {
        // In steps, so that timers set while an earlier one fired are reached as they would be in real time.
        for (var step = TimeSpan.Zero; step < by; step += TimeSpan.FromSeconds(10))
        {
            fixture.Clock.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(5);
        }
    }

    /// <summary>How long real time may take for what happens at once in fake time (a send, a report).</summary>
    private static readonly TimeSpan RealTime = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Moves the clock on, 10 s at a time, until <paramref name="condition"/> holds; returns how far it went. Work a timer
    /// starts runs in real time, so each step gives it a moment.
    /// </summary>
    private async Task<TimeSpan> AdvanceUntil(Func<bool> condition, TimeSpan atMost, string awaited)
    {
        var advanced = TimeSpan.Zero;
        await Eventually.True(() =>
        {
            if (condition()) return true;
            if (advanced > atMost) throw new TimeoutException($"Waited {advanced} of fake time for {awaited}");
            fixture.Clock.Advance(TimeSpan.FromSeconds(10));
            advanced += TimeSpan.FromSeconds(10);
            return false;
        }, awaited, TimeSpan.FromMinutes(2), TimeSpan.FromMilliseconds(50));
        return advanced;
    }

    /// <summary>Waits until no channel has a send awaiting its answer, which a jump of the clock would time out.</summary>
    private async Task Settled()
    {
        foreach (var name in new[] { "a", "b" })
            await Eventually.Until(async () => (await fixture.Cluster.Client.GetGrain<IChannelGrain>(name).GetView()).InFlight, sends => sends == 0,
                $"channel {name} to have no send in flight", RealTime, Poll, sends => $"{sends} in flight");
    }

    private static Task Recorded(IAssistanceRequestGrain grain) =>
        Eventually.Until(async () => (await grain.Get())!.Deliveries, deliveries => !deliveries.Any(d => d.Status == DeliveryStatus.Pending),
            "the delivery to A to be recorded", RealTime, Poll);

    private static Task Heard(LoopbackReceiver receiver, Guid id, int notices, string awaited) =>
        Eventually.Until(() => Kinds(receiver, id), kinds => kinds.Length == notices, awaited, RealTime, Poll);

    [Fact]
    public async Task Steps_fire_on_time_in_rounds_then_the_request_stays_open_as_unanswered()
    {
        var grain = await Submit(FiveMinutesToB);
        var id = grain.GetPrimaryKey();
        await Heard(fixture.A, id, 1, "the request at A");
        await Recorded(grain); // before the clock jumps: a send still awaiting its answer would time out (fake time) and go again

        await Advance(TimeSpan.FromMinutes(4));
        await Task.Delay(200);
        Assert.Empty(Kinds(fixture.B, id));

        var first = TimeSpan.FromMinutes(4) + await AdvanceUntil(() => Kinds(fixture.B, id).Length == 1, TimeSpan.FromMinutes(3), "the first step at B");
        Assert.InRange(first, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(6.5));
        Assert.Equal(["request"], Kinds(fixture.B, id));
        await Settled();

        await Advance(TimeSpan.FromMinutes(4));
        await Task.Delay(200);
        Assert.Single(Kinds(fixture.B, id));
        await AdvanceUntil(() => Kinds(fixture.B, id).Length == 2, TimeSpan.FromMinutes(3), "the second round at B");
        Assert.Equal(["request", "still_waiting"], Kinds(fixture.B, id));

        var view = (await grain.Get())!;
        Assert.Equal(2, view.Escalation!.Step);
        Assert.Null(view.Escalation.NextAt);
        Assert.Contains(view.History, h => h.Event == HistoryEvents.Unanswered);
        Assert.Null(view.Acknowledgement);
    }

    [Fact]
    public async Task A_resolved_request_never_escalates_however_long_after()
    {
        var grain = await Submit(FiveMinutesToB);
        var id = grain.GetPrimaryKey();
        await Heard(fixture.A, id, 1, "the request at A");
        await Recorded(grain); // before the clock jumps: a send still awaiting its answer would time out (fake time) and go again
        await Advance(TimeSpan.FromMinutes(1));
        await grain.Resolve("Alice", "sorted on the phone");
        // Before the clock jumps: a send still under way when it does would time out (fake time) and go again.
        await Heard(fixture.A, id, 2, "'resolved' at A");
        await Settled();

        await Advance(TimeSpan.FromMinutes(30));
        await Task.Delay(300);
        Assert.Empty(Kinds(fixture.B, id));
        Assert.Equal(["request", "resolved"], Kinds(fixture.A, id));
        var reminders = fixture.Cluster.GetSiloServiceProvider().GetRequiredService<IReminderTable>();
        Assert.Empty((await reminders.ReadRows(grain.GetGrainId())).Reminders);
    }

    [Fact]
    public async Task Given_back_the_escalation_resumes_at_its_next_step()
    {
        var grain = await Submit(FiveMinutesToB);
        var id = grain.GetPrimaryKey();
        await Advance(TimeSpan.FromMinutes(1));
        await grain.Acknowledge("Alice", AcknowledgementVia.Api);
        await Advance(TimeSpan.FromMinutes(10));
        await Task.Delay(200);
        Assert.Empty(Kinds(fixture.B, id));

        await grain.Unacknowledge("api");
        await Advance(TimeSpan.FromMinutes(4));
        await Task.Delay(200);
        Assert.Empty(Kinds(fixture.B, id));
        await AdvanceUntil(() => Kinds(fixture.B, id).Length == 1, TimeSpan.FromMinutes(3), "the resumed step at B");
    }
}
