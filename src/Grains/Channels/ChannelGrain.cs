using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Channels.Senders;
using AssistanceRouter.Grains.Events;
using AssistanceRouter.Grains.Hosting;
using AssistanceRouter.Grains.Links;
using AssistanceRouter.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using Orleans.Serialization;

namespace AssistanceRouter.Grains.Channels;

[GenerateSerializer]
public sealed class ChannelState
{
    /// <summary>An operator holds the channel: it keeps its queue and sends nothing.</summary>
    [Id(0)] public bool Paused { get; set; }
}

/// <summary>
/// Sends a channel's queue within its rate limit, retries transient failures with backoff, and reports every attempt
/// of a request's notice to that request. The queue is durable: every change is written through to
/// <see cref="IChannelQueueStore"/> before it counts, and this activation holds only a window of it in memory (the
/// first entries in due order), loading the next page as the window drains. So an activation (a start, a crash, a
/// silo's death) picks up where the last one stopped, at the channel's current rate. Sends run as a sliding window
/// of <see cref="DeliveryOptions.MaxConcurrentSends"/>: a slow reply holds up only itself. Reentrant so that queueing
/// never waits for sends in flight.
/// </summary>
[Reentrant]
public sealed partial class ChannelGrain(
    [PersistentState("channel")] IPersistentState<ChannelState> state,
    ChannelCatalog catalog,
    EventsChannel events,
    IChannelQueueStore store,
    Serializer serializer,
    IServiceProvider services,
    IOptions<DeliveryOptions> deliveryOptions,
    DeliveryMetrics metrics,
    TimeProvider time,
    ILogger<ChannelGrain> logger) : Grain, IChannelGrain
{
    /// <summary>Entries read from the store at a time, and how many the window may hold before it is trimmed back.</summary>
    public const int PageSize = 1000;

    /// <summary>A notice with more than this much sending ahead of it waits (see <see cref="ChannelAdmission.Waits"/>).</summary>
    public const double BacklogSeconds = 10;

    /// <summary>
    /// Attempts past their send (telling the request, updating the store) that may be under way per send slot. They
    /// do not load the receiver, so they do not hold a slot; they are bounded so that a slow store slows the sends.
    /// </summary>
    private const int ReportsPerSendSlot = 4;

    /// <summary>How soon an entry whose stored copy could not be updated is tried again.</summary>
    private static readonly TimeSpan StoreRetryDelay = TimeSpan.FromSeconds(1);

    private readonly DeliveryOptions options = deliveryOptions.Value;
    private readonly RetrySchedule retrySchedule = new(deliveryOptions.Value);
    private readonly Dictionary<string, Held> held = [];
    private readonly SortedSet<QueuePosition> order = [];
    private readonly Dictionary<string, InFlight> inFlight = [];
    /// <summary>Attempts holding one of the <see cref="DeliveryOptions.MaxConcurrentSends"/> slots: about to send or sending.</summary>
    private int sendsUnderWay;

    /// <summary>Every stored entry up to this position is in memory (held or in flight); null: none loaded yet.</summary>
    private QueuePosition? windowEnd;
    private bool everythingLoaded;
    /// <summary>While a page loads, what changed in the meantime (null: removed), so that the page does not bring back stale copies.</summary>
    private Dictionary<string, Held?>? changedWhileLoading;
    /// <summary>After a failed read of the store, the next one waits until then.</summary>
    private DateTimeOffset nextLoadAt;

    private ChannelSettings? settings;
    private IChannelSender? sender;
    private string? problem;
    private TokenBucket bucket = new(1, 1);
    private IGrainTimer? pump;
    private long delivered, failed, retried, rateLimited;
    private string? lastError;

    private string Name => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        settings = Name == EventsChannel.Name ? events.Settings : catalog.Find(Name);
        if (settings is null)
        {
            problem = Name == EventsChannel.Name
                ? "events are not configured: set Events__Url"
                : $"channel '{Name}' does not exist; known channels: {string.Join(", ", catalog.Names)}";
        }
        else
        {
            var setup = settings.Kind.CreateSender(settings, services);
            (sender, problem) = (setup.Sender, setup.Problem);
            bucket = new TokenBucket(settings.RatePerSecond, settings.Burst);
        }
        if (problem is not null) LogCannotSend(logger, Name, problem);
        await LoadNextPage();
        SchedulePump();
    }

    public async Task<ChannelAdmission> Enqueue(Notice[] notices)
    {
        var now = Millis(time.GetUtcNow());
        var entries = notices.Select(m => new Held(new StoredNotice(m.Id, now, now, serializer.SerializeToArray(m)), m, Recovered: false)).ToArray();
        await store.PutAsync(Name, [.. entries.Select(e => e.Entry)]);
        foreach (var entry in entries) Place(entry);
        SchedulePump();
        var hold = problem ?? (state.State.Paused ? $"channel '{Name}' is paused by an operator" : null);
        return new ChannelAdmission(hold, Waits: hold is not null || held.Count > settings!.RatePerSecond * BacklogSeconds);
    }

    public async Task Cancel(string[] noticeIds)
    {
        var sending = new List<Task>();
        foreach (var id in noticeIds)
        {
            Unhold(id);
            if (inFlight.Remove(id, out var flight))
            {
                flight.Cancel.Cancel();
                sending.Add(flight.Sending);
            }
        }
        await store.RemoveAsync(Name, noticeIds);
        // A send already under way is aborted; once these return, none of the notices can reach anyone any more.
        await Task.WhenAll(sending);
    }

    public async Task<ChannelView> GetView()
    {
        var stats = await store.StatsAsync(Name);
        var now = time.GetUtcNow();
        var rateLimitedUntil = bucket.PausedUntil > now ? bucket.PausedUntil : (DateTimeOffset?)null;
        return new ChannelView(
            Name, settings?.Kind.Name ?? "unknown", sender is not null, settings?.RatePerSecond ?? 0, settings?.Burst ?? 0,
            stats.Count, delivered, failed, retried, rateLimited, problem ?? lastError, state.State.Paused, rateLimitedUntil,
            stats.OldestEnqueuedAt is { } oldest ? now - oldest : null, inFlight.Count);
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

    public Task Wake() => Task.CompletedTask;

    /// <summary>Keeps an entry in memory when it falls inside the window; otherwise the store holds it until its page is read.</summary>
    private void Place(Held entry)
    {
        var id = entry.Message.Id;
        Unhold(id);
        if (changedWhileLoading is not null) changedWhileLoading[id] = entry;
        if (inFlight.ContainsKey(id)) return; // its attempt decides what happens next
        if (!everythingLoaded && (windowEnd is not { } end || entry.Entry.Position.CompareTo(end) > 0)) return;
        held[id] = entry;
        order.Add(entry.Entry.Position);
        TrimWindow();
    }

    private void Unhold(string id)
    {
        if (changedWhileLoading is not null) changedWhileLoading[id] = null;
        if (held.Remove(id, out var previous)) order.Remove(previous.Entry.Position);
    }

    /// <summary>A live backlog that outgrows the window leaves its tail in the store: memory stays bounded however long the queue.</summary>
    private void TrimWindow()
    {
        if (held.Count <= 2 * PageSize) return;
        while (held.Count > PageSize)
        {
            var last = order.Max;
            order.Remove(last);
            held.Remove(last.Id);
        }
        windowEnd = order.Max;
        everythingLoaded = false;
    }

    /// <summary>Reads the page after the window; entries changed while it was read keep their newer version.</summary>
    private async Task LoadNextPage()
    {
        if (everythingLoaded || changedWhileLoading is not null) return;
        changedWhileLoading = [];
        try
        {
            var page = await store.ReadAsync(Name, windowEnd, PageSize);
            if (page.Count > 0 && (windowEnd is not { } end || page[^1].Position.CompareTo(end) > 0)) windowEnd = page[^1].Position;
            if (page.Count < PageSize) everythingLoaded = true;
            foreach (var entry in page)
            {
                if (changedWhileLoading.ContainsKey(entry.Id) || held.ContainsKey(entry.Id) || inFlight.ContainsKey(entry.Id)) continue;
                var message = serializer.Deserialize<Notice>(entry.Payload)!;
                held[entry.Id] = new Held(entry, message, Recovered: true);
                order.Add(entry.Position);
            }
        }
        catch (Exception ex)
        {
            LogQueueReadFailed(logger, ex, Name);
            nextLoadAt = time.GetUtcNow() + TimeSpan.FromSeconds(1);
        }
        finally
        {
            var changed = changedWhileLoading;
            changedWhileLoading = null;
            foreach (var (_, entry) in changed)
                if (entry is not null) Place(entry);
        }
    }

    /// <summary>Arms the pump for the moment the next entry may go: its due time, or the next token.</summary>
    private void SchedulePump()
    {
        if (!MayStartAttempt) return;
        TimeSpan dueIn;
        if (order.Count > 0)
        {
            var now = time.GetUtcNow();
            var at = Max(order.Min.Due, bucket.NextAvailableAt(now));
            dueIn = at > now ? at - now : TimeSpan.Zero;
        }
        else if (!everythingLoaded)
        {
            // Load the next page (once a read in progress or a failed one allows).
            var wait = changedWhileLoading is null ? nextLoadAt - time.GetUtcNow() : TimeSpan.FromSeconds(1);
            dueIn = wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        else
        {
            return;
        }
        if (pump is null)
            pump = this.RegisterGrainTimer(Pump, new GrainTimerCreationOptions(dueIn, Timeout.InfiniteTimeSpan) { Interleave = true, KeepAlive = true });
        else
            pump.Change(dueIn, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Starts every due entry the rate and the send window allow, without waiting for their replies.</summary>
    private async Task Pump(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        while (MayStartAttempt && order.Count > 0 && order.Min.Due <= now && bucket.TryTake(now))
        {
            var next = order.Min;
            order.Remove(next);
            held.Remove(next.Id, out var entry);
            var flight = new InFlight(new CancellationTokenSource());
            inFlight[next.Id] = flight;
            sendsUnderWay++;
            flight.Done = Attempt(entry!, flight);
        }
        if (order.Count < PageSize / 4 && !everythingLoaded) await LoadNextPage();
        SchedulePump();
    }

    private async Task Attempt(Held entry, InFlight flight)
    {
        var message = entry.Message;
        var outcome = message.Unreported;
        try
        {
            if (outcome is null)
            {
                if (entry.Recovered && message.IsTracked && !await StillWanted(message))
                {
                    await Forget(message.Id, flight);
                    return;
                }
                var sending = Send(message, flight.Cancel.Token);
                flight.Sending = sending;
                var result = await sending;
                // The receiver has answered: the next send may start while this one is reported. With the slot held
                // until the request had recorded it too, 32 slots delivered fewer a second than the API accepted.
                FreeSendSlot(flight);
                SchedulePump();
                if (flight.Cancel.IsCancellationRequested) return; // cancelled: the canceller removed it
                outcome = Outcome(message, result, time.GetUtcNow());
                Count(message, result, outcome);
            }
            var wanted = outcome.Result == AttemptResult.WillRetry;
            if (message.IsTracked)
            {
                try
                {
                    wanted = await GrainFactory.Reference<IAssistanceRequestGrain>(message.RequestId).RecordAttempt(Name, message.Id, outcome);
                }
                catch (Exception ex)
                {
                    // The entry stays until its request has heard the outcome: the next try only reports it.
                    LogRecordFailed(logger, ex, message.RequestId, Name);
                    var again = time.GetUtcNow() + retrySchedule.Delay(message.Attempts + 1);
                    await Reschedule(entry, message with { Unreported = outcome.Result == AttemptResult.WillRetry ? null : outcome, Attempts = message.Attempts + 1 }, again, flight);
                    return;
                }
            }
            if (outcome.Result == AttemptResult.WillRetry && wanted)
            {
                await Reschedule(entry, message with { Attempts = message.Attempts + 1, Unreported = null }, outcome.NextAttemptAt!.Value, flight);
                return;
            }
            if (outcome.Result == AttemptResult.Failed && message.Unreported is null)
                LogGaveUp(logger, Name, message.Kind, message.Id, message.RequestId, outcome.Error);
            await Forget(message.Id, flight);
        }
        catch (Exception ex)
        {
            // A store write failed (a full disk, Redis away): the stored entry is as it was before this attempt, so
            // the entry goes back into memory as it is stored, carrying the outcome its request may not have heard
            // yet, and is tried again shortly: it is reported, not sent again.
            LogQueueWriteFailed(logger, ex, Name, message.Id);
            if (IsCurrent(message.Id, flight))
            {
                inFlight.Remove(message.Id);
                var retry = message with { Unreported = outcome?.Result == AttemptResult.WillRetry ? null : outcome };
                var due = Millis(time.GetUtcNow() + StoreRetryDelay);
                Place(new Held(entry.Entry with { Due = due }, retry, entry.Recovered));
            }
        }
        finally
        {
            FreeSendSlot(flight);
            SchedulePump();
        }
    }

    private bool MayStartAttempt => sender is not null && !state.State.Paused && sendsUnderWay < options.MaxConcurrentSends
        && inFlight.Count < options.MaxConcurrentSends * ReportsPerSendSlot;

    private void FreeSendSlot(InFlight flight)
    {
        if (!flight.HoldsSendSlot) return;
        flight.HoldsSendSlot = false;
        sendsUnderWay--;
    }

    private async Task<bool> StillWanted(Notice message)
    {
        try
        {
            return await GrainFactory.Reference<IAssistanceRequestGrain>(message.RequestId).IsWanted(Name, message.Id);
        }
        catch (Exception ex)
        {
            LogWantedUnknown(logger, ex, message.RequestId, Name);
            return true;
        }
    }

    private async Task Reschedule(Held entry, Notice message, DateTimeOffset due, InFlight flight)
    {
        if (!IsCurrent(message.Id, flight)) return; // cancelled: the canceller removed it from the store
        var next = new Held(entry.Entry with { Due = Millis(due), Payload = serializer.SerializeToArray(message) }, message, entry.Recovered);
        await store.PutAsync(Name, [next.Entry]);
        if (!IsCurrent(message.Id, flight))
        {
            await store.RemoveAsync(Name, [message.Id]); // cancelled while it was written back
            return;
        }
        inFlight.Remove(message.Id);
        Place(next);
    }

    private async Task Forget(string id, InFlight flight)
    {
        await store.RemoveAsync(Name, [id]);
        if (changedWhileLoading is not null) changedWhileLoading[id] = null; // a page read before the removal must not bring it back
        if (IsCurrent(id, flight)) inFlight.Remove(id);
    }

    private bool IsCurrent(string id, InFlight flight) => inFlight.TryGetValue(id, out var current) && ReferenceEquals(current, flight);

    private async Task<SendResult> Send(Notice message, CancellationToken cancelled)
    {
        var delivery = new OutgoingNotice(message.RequestId, Name, message.Topic, message.Description, message.CreatedAt)
        {
            Kind = message.Kind,
            NoticeId = message.Id,
            By = message.By,
            ConversationUrl = message.ConversationUrl,
            TakeUrl = message.IsTracked ? await services.GetRequiredService<TakeLinks>().UrlAsync(message.RequestId, Name) : null,
            Body = message.Body,
            At = message.PendingSince,
        };
        using var timeout = new CancellationTokenSource(options.AttemptTimeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancelled);
        try
        {
            return await sender!.SendAsync(delivery, either.Token);
        }
        catch (OperationCanceledException) when (cancelled.IsCancellationRequested)
        {
            return SendResult.Transient("cancelled");
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return SendResult.Transient($"no answer within {options.AttemptTimeout.TotalSeconds:0.###} s");
        }
        catch (Exception ex)
        {
            LogSenderFailed(logger, ex, Name, message.Id);
            return SendResult.Transient("the sender failed unexpectedly; the silo's log has the details");
        }
    }

    /// <summary>What a send's result means for its message: delivered, failed for good, or tried again when.</summary>
    private AttemptOutcome Outcome(Notice message, SendResult result, DateTimeOffset now)
    {
        switch (result.Status)
        {
            case SendStatus.Delivered:
                return new AttemptOutcome(AttemptResult.Delivered, now, null, null);
            case SendStatus.Permanent:
                return new AttemptOutcome(AttemptResult.Failed, now, result.Error, null);
        }
        if (now - message.PendingSince >= options.GiveUpAfter)
            return new AttemptOutcome(AttemptResult.Failed, now, $"gave up after {options.GiveUpAfter}: {result.Error}", null);
        var backoff = retrySchedule.Delay(message.Attempts + 1);
        var wait = result.RetryAfter is { } asked && asked > backoff ? asked : backoff;
        return new AttemptOutcome(AttemptResult.WillRetry, now, result.Error, now + wait);
    }

    /// <summary>Counts an attempt (this channel's view and the metrics), and slows the whole channel when the receiver asked.</summary>
    private void Count(Notice message, SendResult result, AttemptOutcome outcome)
    {
        if (outcome.Error is not null) lastError = outcome.Error;
        switch (outcome.Result)
        {
            case AttemptResult.Delivered:
                delivered++;
                metrics.Delivered(Name, outcome.At - message.CreatedAt);
                break;
            case AttemptResult.Failed:
                failed++;
                metrics.Failed(Name);
                break;
            default:
                retried++;
                metrics.Retried(Name);
                break;
        }
        if (result.Status == SendStatus.Transient && result.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero)
        {
            rateLimited++;
            metrics.RateLimited(Name);
            bucket.PauseUntil(outcome.At, outcome.At + retryAfter);
        }
    }

    private static DateTimeOffset Millis(DateTimeOffset at) => DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {Channel} cannot send: {Problem}")]
    private static partial void LogCannotSend(ILogger logger, string channel, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {Channel} paused by an operator")]
    private static partial void LogPaused(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Information, Message = "Channel {Channel} resumed")]
    private static partial void LogResumed(ILogger logger, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the stored queue of channel {Channel}; trying again shortly")]
    private static partial void LogQueueReadFailed(ILogger logger, Exception exception, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record an attempt of request {RequestId} on {Channel}; will report it again")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, Guid requestId, string channel);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {Channel} gave up on {Kind} {MessageId} of request {RequestId}: {Error}")]
    private static partial void LogGaveUp(ILogger logger, string channel, NoticeKind kind, string messageId, Guid requestId, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Channel {Channel} could not update its stored queue for {MessageId}; trying again shortly")]
    private static partial void LogQueueWriteFailed(ILogger logger, Exception exception, string channel, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask request {RequestId} whether {Channel} should still send; sending")]
    private static partial void LogWantedUnknown(ILogger logger, Exception exception, Guid requestId, string channel);

    [LoggerMessage(Level = LogLevel.Error, Message = "Channel {Channel} failed to send {MessageId}")]
    private static partial void LogSenderFailed(ILogger logger, Exception exception, string channel, string messageId);

    /// <summary>An entry in memory; <see cref="Recovered"/>: read from the store, so its request is asked before it goes.</summary>
    private sealed record Held(StoredNotice Entry, Notice Message, bool Recovered);

    /// <summary>A send under way: <see cref="Sending"/> is the send alone, which a cancel waits for (never the report after it).</summary>
    private sealed class InFlight(CancellationTokenSource cancel)
    {
        public CancellationTokenSource Cancel { get; } = cancel;
        public Task Sending { get; set; } = Task.CompletedTask;
        public Task Done { get; set; } = Task.CompletedTask;
        public bool HoldsSendSlot { get; set; } = true;
    }
}
