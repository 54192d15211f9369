using System.Text.Json;
using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Channels;
using AssistanceRouter.Grains.Escalation;
using AssistanceRouter.Grains.Hosting;
using AssistanceRouter.Grains.Storage;
using AssistanceRouter.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.Hosting;
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
            // Rows written to the table directly (as by an earlier version) are picked up within a minute, not five.
            silo.Configure<ReminderOptions>(o => o.RefreshReminderListPeriod = TimeSpan.FromMinutes(1));
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

/// <summary>
/// Escalation steps fire when they should, repeat in rounds, and never after a person has the request. "Nothing
/// happened" is read from what is stored, never from a pause: a step can only fire from its entry in a channel's
/// schedule, and the notices it queues are stored in the same write that takes the entry off; so once no entry of the
/// request is stored and channel B holds and sends nothing, nothing more can reach B.
/// </summary>
public sealed class EscalationTimelineTests(FakeClockClusterFixture fixture) : IClassFixture<FakeClockClusterFixture>
{
    private static readonly EscalationPolicy FiveMinutesToB = new([new EscalationStep(TimeSpan.FromMinutes(5), ["b"])], Repeat: 1);

    private IChannelQueueStore Queues => fixture.Cluster.GetSiloServiceProvider().GetRequiredService<IChannelQueueStore>();

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

    /// <summary>When the request's entries in channel A's schedule are due (stored, so what will fire and when).</summary>
    private async Task<DateTimeOffset[]> Scheduled(Guid id) =>
        [.. (await Queues.ReadAsync(ChannelSchedule.QueueOf("a"), null, 10_000)).Where(e => e.Id.StartsWith($"{id:N}-", StringComparison.Ordinal)).Select(e => e.Due)];

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

    /// <summary>
    /// Nothing of the request can reach B any more: no entry of it in a schedule (nothing left to fire), and B has
    /// nothing stored and nothing in flight (everything queued for it went).
    /// </summary>
    private async Task NothingMoreCanReachB(Guid id)
    {
        Assert.Empty(await Scheduled(id));
        await Eventually.Until(async () => await fixture.Cluster.Client.GetGrain<IChannelGrain>("b").GetView(), view => view is { Pending: 0, InFlight: 0 },
            "channel B to hold and send nothing", RealTime, Poll, view => $"{view.Pending} pending, {view.InFlight} in flight");
    }

    private static Task Recorded(IAssistanceRequestGrain grain) =>
        Eventually.Until(async () => (await grain.Get())!.Deliveries, deliveries => !deliveries.Any(d => d.Status == DeliveryStatus.Pending),
            "the delivery to A to be recorded", RealTime, Poll);

    private static Task Heard(LoopbackReceiver receiver, Guid id, int notices, string awaited) =>
        Eventually.Until(() => Kinds(receiver, id), kinds => kinds.Length == notices, awaited, RealTime, Poll);

    /// <summary>When the request recorded each escalation step (fake time, as the grain's clock read it).</summary>
    private static async Task<DateTimeOffset[]> StepsRan(IAssistanceRequestGrain grain) =>
        [.. (await grain.Get())!.History.Where(h => h.Event == HistoryEvents.Escalated).Select(h => h.At)];

    [Fact]
    public async Task Steps_fire_on_time_in_rounds_then_the_request_stays_open_as_unanswered()
    {
        var grain = await Submit(FiveMinutesToB);
        var id = grain.GetPrimaryKey();
        var created = (await grain.Get())!.CreatedAt;
        await Heard(fixture.A, id, 1, "the request at A");
        await Recorded(grain); // before the clock jumps: a send still awaiting its answer would time out (fake time) and go again
        // What will fire, and when: one entry, at the step's time (the schedule fires nothing before its entry is due).
        Assert.Equal([Millis(created + TimeSpan.FromMinutes(5))], await Scheduled(id));

        await AdvanceUntil(() => Kinds(fixture.B, id).Length == 1, TimeSpan.FromMinutes(7), "the first step at B");
        Assert.Equal(["request"], Kinds(fixture.B, id));
        var first = Assert.Single(await StepsRan(grain));
        Assert.InRange(first - created, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5.5));
        Assert.Equal([Millis(created + TimeSpan.FromMinutes(10))], await Scheduled(id)); // the second round's entry, in the same write
        await Settled();

        await AdvanceUntil(() => Kinds(fixture.B, id).Length == 2, TimeSpan.FromMinutes(7), "the second round at B");
        Assert.Equal(["request", "still_waiting"], Kinds(fixture.B, id));
        var rounds = await StepsRan(grain);
        Assert.Equal(2, rounds.Length);
        Assert.InRange(rounds[1] - created, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(10.5));

        var view = (await grain.Get())!;
        Assert.Equal(2, view.Escalation!.Step);
        Assert.Null(view.Escalation.NextAt);
        Assert.Contains(view.History, h => h.Event == HistoryEvents.Unanswered);
        Assert.Null(view.Acknowledgement);
        await NothingMoreCanReachB(id);
        Assert.Equal(["request", "still_waiting"], Kinds(fixture.B, id));
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
        await NothingMoreCanReachB(id);
        Assert.Empty(Kinds(fixture.B, id));
        Assert.Empty(await StepsRan(grain));
        Assert.Equal(["request", "resolved"], Kinds(fixture.A, id));
        var reminders = fixture.Cluster.GetSiloServiceProvider().GetRequiredService<IReminderTable>();
        Assert.Empty((await reminders.ReadRows(grain.GetGrainId())).Reminders);
    }

    [Fact]
    public async Task Given_back_the_escalation_resumes_at_its_next_step()
    {
        var grain = await Submit(FiveMinutesToB);
        var id = grain.GetPrimaryKey();
        await Heard(fixture.A, id, 1, "the request at A");
        await Recorded(grain);
        await Advance(TimeSpan.FromMinutes(1));
        await grain.Acknowledge("Alice", AcknowledgementVia.Api);
        await Advance(TimeSpan.FromMinutes(10));
        await NothingMoreCanReachB(id);
        Assert.Empty(Kinds(fixture.B, id));

        var givenBackAt = fixture.Clock.GetUtcNow();
        await grain.Unacknowledge();
        // As far from now as the step was from acceptance: its entry says so.
        Assert.Equal([Millis(givenBackAt + TimeSpan.FromMinutes(5))], await Scheduled(id));
        await AdvanceUntil(() => Kinds(fixture.B, id).Length == 1, TimeSpan.FromMinutes(7), "the resumed step at B");
        Assert.InRange(Assert.Single(await StepsRan(grain)) - givenBackAt, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5.5));
    }

    /// <summary>
    /// A request as the version before this one stored it: delivered to A, its next step due in 5 minutes and kept by a
    /// reminder of its own (<c>escalation</c>, due then, every minute after), no schedule entry.
    /// </summary>
    private async Task<IAssistanceRequestGrain> StoredByTheVersionBefore()
    {
        var grain = fixture.Cluster.Client.GetGrain<IAssistanceRequestGrain>(Guid.NewGuid());
        var now = fixture.Clock.GetUtcNow();
        var state = new AssistanceRequestState
        {
            Topic = "urgent",
            Description = "stored before the upgrade",
            CreatedAt = now,
            MetricsTopic = "urgent",
            Escalation = FiveMinutesToB,
            EscalationNextAt = now + TimeSpan.FromMinutes(5),
        };
        state.Deliveries["a"] = new DeliveryState { Status = DeliveryStatus.Delivered, Attempts = 1, PendingSince = now, DeliveredAt = now, NoticeId = grain.GetPrimaryKey().ToString("N"), Reached = true };
        state.Record(new HistoryRecord(now, HistoryEvents.Accepted));
        var write = new RequestWrite();
        write.Move("urgent", null, RequestLists.Open, now);
        var services = fixture.Cluster.GetSiloServiceProvider();
        await services.GetRequiredService<IRequestStore>().WriteAsync(grain.GetGrainId(), state, null, write);
        // Its row, as that version's registration wrote it; the reminder service reads the table as it refreshes.
        await services.GetRequiredService<IReminderTable>().UpsertRow(new ReminderEntry
        {
            GrainId = grain.GetGrainId(),
            ReminderName = "escalation",
            StartAt = (now + TimeSpan.FromMinutes(5)).UtcDateTime,
            Period = TimeSpan.FromMinutes(1),
        });
        return grain;
    }

    private async Task<ReminderEntry[]> Reminders(IAssistanceRequestGrain grain) =>
        [.. (await fixture.Cluster.GetSiloServiceProvider().GetRequiredService<IReminderTable>().ReadRows(grain.GetGrainId())).Reminders];

    [Fact]
    public async Task A_request_the_version_before_stored_with_a_reminder_escalates_on_time_from_a_schedule_and_gives_its_reminder_up()
    {
        var woken = await StoredByTheVersionBefore(); // nothing activates it but its own reminder
        var read = await StoredByTheVersionBefore(); // a person looks at it first
        var wokenId = woken.GetPrimaryKey();
        Assert.Single(await Reminders(woken));

        var created = (await read.Get())!.CreatedAt;
        Assert.Equal([Millis(created + TimeSpan.FromMinutes(5))], await Scheduled(read.GetPrimaryKey())); // moved on that activation
        await Eventually.Until(() => Reminders(read), rows => rows.Length == 0, "the reminder of the request read first to go", RealTime, Poll);

        await AdvanceUntil(() => Kinds(fixture.B, wokenId).Length == 1 && Kinds(fixture.B, read.GetPrimaryKey()).Length == 1, TimeSpan.FromMinutes(7), "both steps at B");
        foreach (var grain in new[] { woken, read })
        {
            Assert.InRange(Assert.Single(await StepsRan(grain)) - created, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(6.5));
            Assert.Equal([Millis(created + TimeSpan.FromMinutes(10))], await Scheduled(grain.GetPrimaryKey())); // its second round, as any
        }
        await Eventually.Until(() => Reminders(woken), rows => rows.Length == 0, "the woken request's reminder to go", RealTime, Poll);
        await Settled();
    }

    private static DateTimeOffset Millis(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());
}
