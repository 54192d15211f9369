using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Channels.Senders;
using AssistanceRouter.Grains.Escalation;
using AssistanceRouter.Grains.Hosting;
using AssistanceRouter.Grains.Links;
using AssistanceRouter.Grains.Storage;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Serialization;

namespace AssistanceRouter.Grains.Channels;

/// <summary>
/// Sends a channel's queue within its rate limit, retries transient failures with backoff, and reports every attempt
/// of a request's notice to that request. The queue is durable: every change is written through to
/// <see cref="IChannelQueueStore"/> before it counts, and this activation holds only a window of it in memory
/// (<see cref="NoticeWindow"/>), loading the next page as the window drains. So an activation (a start, a crash, a
/// silo's death) picks up where the last one stopped, at the channel's current rate. Sends run as a sliding window
/// of <see cref="DeliveryOptions.MaxConcurrentSends"/>: a slow reply holds up only itself. Reentrant so that queueing
/// never waits for sends in flight.
/// </summary>
[Reentrant]
public sealed partial class ChannelGrain(
    [PersistentState("channel")] IPersistentState<ChannelState> state,
    ChannelSenders senders,
    IChannelQueueStore store,
    Serializer serializer,
    TakeLinks takeLinks,
    IOptions<DeliveryOptions> deliveryOptions,
    IOptions<EscalationOptions> escalationOptions,
    DeliveryMetrics metrics,
    TimeProvider time,
    ILogger<ChannelGrain> logger) : Grain, IChannelGrain
{
    /// <summary>Notices read from the store at a time, and how many the window may hold before it is trimmed back.</summary>
    public const int PageSize = 1000;

    /// <summary>A notice with more than this much sending ahead of it waits (see <see cref="ChannelAdmission.Waits"/>).</summary>
    public const double BacklogSeconds = 10;

    /// <summary>
    /// Attempts past their send (telling the request, updating the store) that may be under way per send slot. They
    /// do not load the receiver, so they do not hold a slot; they are bounded so that a slow store slows the sends.
    /// </summary>
    private const int ReportsPerSendSlot = 4;

    /// <summary>How soon a notice whose stored copy could not be updated is tried again.</summary>
    private static readonly TimeSpan StoreRetryDelay = TimeSpan.FromSeconds(1);

    private readonly DeliveryOptions options = deliveryOptions.Value;
    private readonly TimeSpan reminderPeriod = escalationOptions.Value.ReminderPeriod;
    private readonly RetryPolicy retryPolicy = new(deliveryOptions.Value);
    private readonly AttemptsInFlight inFlight = new(deliveryOptions.Value.MaxConcurrentSends, ReportsPerSendSlot);

    private NoticeWindow window = null!;
    private ChannelCounters counters = null!;
    private ChannelSettings? settings;
    private TimedSender? sender;
    private string? problem;
    private TokenBucket bucket = new(1, 1);
    private IGrainTimer? pump;

    private string Name => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        window = new NoticeWindow(store, Name, payload => serializer.Deserialize<Notice>(payload)!, inFlight.Contains, time, PageSize);
        counters = new ChannelCounters(Name, metrics);
        (settings, var configured, problem) = senders.Create(Name);
        if (configured is not null)
            sender = new TimedSender(configured, options.AttemptTimeout, time, (ex, notice) => LogSenderFailed(logger, ex, Name, notice.NoticeId));
        if (settings is not null) bucket = new TokenBucket(settings.RatePerSecond, settings.Burst);
        if (problem is not null) LogCannotSend(logger, Name, problem);
        steps = OpenSchedule();
        await Task.WhenAll(Load(window), Load(steps));
        SchedulePump();
        await HoldReminder();
    }

    public async Task<ChannelAdmission> Enqueue(Notice[] notices)
    {
        var now = Millis(time.GetUtcNow());
        var held = notices.Select(n => new HeldNotice(new StoredNotice(n.Id, now, now, serializer.SerializeToArray(n)), n, Recovered: false)).ToArray();
        await store.PutAsync(Name, [.. held.Select(h => h.Stored)]);
        foreach (var notice in held) window.Place(notice);
        SchedulePump();
        return Admission();
    }

    public Task<ChannelAdmission> Admit(DueNotice[] notices)
    {
        foreach (var (notice, due) in notices)
        {
            var (into, busy) = notice.Kind == NoticeKind.EscalationStep ? (steps, firing.Contains(notice.Id)) : (window, inFlight.Contains(notice.Id));
            if (into.Holds(notice.Id) || busy) continue; // told again (a replayed submission): it is here already
            into.Place(new HeldNotice(new StoredNotice(notice.Id, due, due, []), notice, Recovered: false));
        }
        SchedulePump();
        return Task.FromResult(Admission());
    }

    public async Task Cancel(string[] noticeIds)
    {
        var sending = Stop(noticeIds);
        await store.RemoveAsync(Name, noticeIds);
        await Task.WhenAll(sending);
    }

    public Task Withdraw(string[] noticeIds) => Task.WhenAll(Stop(noticeIds));

    /// <summary>Drops notices from memory and aborts their sends under way; once those sends end, none of them can reach anyone.</summary>
    private List<Task> Stop(string[] noticeIds)
    {
        var sending = new List<Task>();
        foreach (var id in noticeIds)
        {
            window.Remove(id);
            steps.Remove(id);
            if (inFlight.Remove(id, out var flight))
            {
                flight.Cancel.Cancel();
                sending.Add(flight.Sending);
            }
        }
        return sending;
    }

    private ChannelAdmission Admission()
    {
        var hold = problem ?? (state.State.Paused ? $"channel '{Name}' is paused by an operator" : null);
        return new ChannelAdmission(hold, Waits: hold is not null || window.Count > settings!.RatePerSecond * BacklogSeconds);
    }

    public async Task<ChannelView> GetView()
    {
        var stats = await store.StatsAsync(Name);
        var now = time.GetUtcNow();
        var rateLimitedUntil = bucket.PausedUntil > now ? bucket.PausedUntil : (DateTimeOffset?)null;
        return new ChannelView(
            Name, settings?.Kind.Name ?? "unknown", sender is not null, settings?.RatePerSecond ?? 0, settings?.Burst ?? 0, stats.Count,
            counters.Delivered, counters.Failed, counters.Retried, counters.RateLimited, problem ?? counters.LastError, state.State.Paused,
            rateLimitedUntil, stats.OldestEnqueuedAt is { } oldest ? now - oldest : null, inFlight.Count);
    }

    public async Task<ChannelView> Pause()
    {
        if (!state.State.Paused)
        {
            state.State.Paused = true;
            await state.WriteStateAsync();
            LogPaused(logger, Name);
        }
        return await GetView();
    }

    public async Task<ChannelView> Resume()
    {
        if (state.State.Paused)
        {
            state.State.Paused = false;
            await state.WriteStateAsync();
            LogResumed(logger, Name);
            SchedulePump();
        }
        return await GetView();
    }

    public async Task Wake()
    {
        await Task.WhenAll(Read(window.ReconcileAsync), Read(steps.ReconcileAsync));
        SchedulePump();
        if (!holdsReminder) await HoldReminder();
    }

    private Task Load(NoticeWindow notices) => Read(notices.LoadNextPageAsync);

    private async Task Read(Func<Task> read)
    {
        try
        {
            await read();
        }
        catch (Exception ex)
        {
            LogQueueReadFailed(logger, ex, Name);
        }
    }

    /// <summary>Arms the pump for the next moment it has work: a step due, a notice due (and a token for it), a page to load.</summary>
    private void SchedulePump()
    {
        var now = time.GetUtcNow();
        if (Earliest(NextSendAt(now), NextStepAt(now)) is not { } next) return;
        var dueIn = next - now;
        if (dueIn < TimeSpan.Zero) dueIn = TimeSpan.Zero;
        if (pump is null)
            pump = this.RegisterGrainTimer(Pump, new GrainTimerCreationOptions(dueIn, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = true });
        else
            pump.Change(dueIn, Timeout.InfiniteTimeSpan);
    }

    private DateTimeOffset? NextSendAt(DateTimeOffset now)
    {
        if (!MayStartAttempt) return null;
        if (window.FirstDue is { } due) return Max(due, bucket.NextAvailableAt(now));
        if (!window.EverythingLoaded) return window.IsLoading ? now + NoticeWindow.ReadRetryDelay : window.NextLoadAt; // the next page
        return null;
    }

    /// <summary>Fires the due steps, then starts every due notice the rate and the send window allow, without waiting for their replies.</summary>
    private async Task Pump(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await FireDueSteps(now);
        while (MayStartAttempt && window.FirstDue is { } due && due <= now && bucket.TryTake(now))
        {
            var next = window.TakeFirst();
            _ = Attempt(next, inFlight.Start(next.Stored.Id));
        }
        if (window.Count < PageSize / 4 && !window.EverythingLoaded) await Load(window);
        SchedulePump();
    }

    private async Task Attempt(HeldNotice held, AttemptsInFlight.Attempt flight)
    {
        var notice = held.Notice;
        var outcome = notice.Unreported;
        try
        {
            if (outcome is null)
            {
                if (held.Recovered && notice.IsTracked && !await StillWanted(notice))
                {
                    await Forget(notice.Id, flight);
                    return;
                }
                var sending = Send(notice, flight.Cancel.Token);
                flight.Sending = sending;
                var result = await sending;
                // The receiver has answered: the next send may start while this one is reported. With the slot held
                // until the request had recorded it too, 32 slots delivered fewer a second than the API accepted.
                inFlight.FreeSlot(flight);
                SchedulePump();
                if (flight.Cancel.IsCancellationRequested) return; // cancelled: the canceller removed it
                outcome = retryPolicy.Outcome(notice, result, time.GetUtcNow());
                if (counters.Count(notice, result, outcome) is { } slowDown) bucket.PauseUntil(outcome.At, outcome.At + slowDown);
            }
            var wanted = outcome.Result == AttemptResult.WillRetry;
            if (notice.IsTracked)
            {
                try
                {
                    wanted = await GrainFactory.Reference<IAssistanceRequestGrain>(notice.RequestId).RecordAttempt(Name, notice.Id, outcome);
                }
                catch (Exception ex)
                {
                    // The notice stays until its request has heard the outcome: the next try only reports it.
                    LogRecordFailed(logger, ex, notice.RequestId, Name);
                    var again = retryPolicy.ReportAgainAt(notice, time.GetUtcNow());
                    await Reschedule(held, notice with { Unreported = outcome.Result == AttemptResult.WillRetry ? null : outcome, Attempts = notice.Attempts + 1 }, again, flight);
                    return;
                }
            }
            if (outcome.Result == AttemptResult.WillRetry && wanted)
            {
                await Reschedule(held, notice with { Attempts = notice.Attempts + 1, Unreported = null }, outcome.NextAttemptAt!.Value, flight);
                return;
            }
            if (outcome.Result == AttemptResult.Failed && notice.Unreported is null)
                LogGaveUp(logger, Name, notice.Kind, notice.Id, notice.RequestId, outcome.Error);
            // A tracked notice's request took it out of the store with the outcome (one write); the rest go here.
            if (notice.IsTracked) Drop(notice.Id, flight);
            else await Forget(notice.Id, flight);
        }
        catch (Exception ex)
        {
            // A store write failed (a full disk, Redis away): the stored notice is as it was before this attempt, so
            // it goes back into memory as it is stored, carrying the outcome its request may not have heard yet, and
            // is tried again shortly: it is reported, not sent again.
            LogQueueWriteFailed(logger, ex, Name, notice.Id);
            if (inFlight.IsCurrent(notice.Id, flight))
            {
                inFlight.Remove(notice.Id);
                var retry = notice with { Unreported = outcome?.Result == AttemptResult.WillRetry ? null : outcome };
                var due = Millis(time.GetUtcNow() + StoreRetryDelay);
                window.Place(new HeldNotice(held.Stored with { Due = due }, retry, held.Recovered));
            }
        }
        finally
        {
            inFlight.FreeSlot(flight);
            SchedulePump();
        }
    }

    private bool MayStartAttempt => sender is not null && !state.State.Paused && inFlight.HaveRoom;

    private async Task<bool> StillWanted(Notice notice)
    {
        try
        {
            return await GrainFactory.Reference<IAssistanceRequestGrain>(notice.RequestId).IsWanted(Name, notice.Id);
        }
        catch (Exception ex)
        {
            LogWantedUnknown(logger, ex, notice.RequestId, Name);
            return true;
        }
    }

    private async Task Reschedule(HeldNotice held, Notice notice, DateTimeOffset due, AttemptsInFlight.Attempt flight)
    {
        if (!inFlight.IsCurrent(notice.Id, flight)) return; // cancelled: the canceller removed it from the store
        var next = new HeldNotice(held.Stored with { Due = Millis(due), Payload = serializer.SerializeToArray(notice) }, notice, held.Recovered);
        await store.PutAsync(Name, [next.Stored]);
        if (!inFlight.IsCurrent(notice.Id, flight))
        {
            await store.RemoveAsync(Name, [notice.Id]); // cancelled while it was written back
            return;
        }
        inFlight.Remove(notice.Id);
        window.Place(next);
    }

    private async Task Forget(string id, AttemptsInFlight.Attempt flight)
    {
        await store.RemoveAsync(Name, [id]);
        Drop(id, flight);
    }

    /// <summary>Lets go of a notice no longer stored; in one turn, so that a page being read does not bring it back.</summary>
    private void Drop(string id, AttemptsInFlight.Attempt flight)
    {
        window.MarkRemoved(id);
        if (inFlight.IsCurrent(id, flight)) inFlight.Remove(id);
    }

    /// <summary>One send of <paramref name="notice"/>, with its take link when it is a request notice.</summary>
    private async Task<SendResult> Send(Notice notice, CancellationToken cancelled) => await sender!.SendAsync(
        OutgoingNotice.For(notice, Name, notice.IsTracked ? await takeLinks.UrlAsync(notice.RequestId, Name) : null), cancelled);

    private static DateTimeOffset Millis(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
