using AssistanceRouter.Grains.Channels;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>
/// The durable record of one request and its deliveries. It is stored, queued on its channels, and given a reminder
/// before the API answers; from then on the reminder wakes it (after a crash, or if a channel lost its queue) and
/// re-queues whatever is still pending, until nothing is. The reminder first fires when the slowest channel expects
/// to reach the request, so that a long backlog does not wake every waiting request every minute.
/// </summary>
public sealed class AssistanceRequestGrain(
    [PersistentState("request")] IPersistentState<AssistanceRequestState> state,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<AssistanceRequestGrain> logger) : Grain, IAssistanceRequestGrain, IRemindable
{
    private const string BackstopReminder = "pending-deliveries";

    /// <summary>Requests expected to wait longer than this leave memory until their channel reaches them.</summary>
    private static readonly TimeSpan WaitWorthDeactivating = TimeSpan.FromSeconds(30);

    private TimeSpan BackstopPeriod => options.Value.RecoveryInterval;

    private AssistanceRequestState Request => state.State;

    /// <summary>The reminder this activation registered, so that removing it needs no look-up first.</summary>
    private IGrainReminder? backstop;

    public async Task<SubmissionResult> Submit(NewAssistanceRequest request)
    {
        if (state.RecordExists)
        {
            if (request.IdempotencyFingerprint is null || request.IdempotencyFingerprint != Request.IdempotencyFingerprint)
                return new SubmissionResult(SubmissionOutcome.IdempotencyConflict, View());
            // A replay may follow a first attempt that stored the request but died before its reminder.
            if (Request.HasPendingDeliveries) await ArmBackstop(await DispatchPending(), always: true);
            return new SubmissionResult(SubmissionOutcome.Replayed, View());
        }

        var now = time.GetUtcNow();
        state.State = new AssistanceRequestState
        {
            Topic = request.Topic,
            Description = request.Description,
            CreatedAt = now,
            IdempotencyFingerprint = request.IdempotencyFingerprint,
            Deliveries = request.Channels.Distinct().ToDictionary(c => c, _ => new DeliveryState { PendingSince = now }),
        };
        // Stored, queued, then the reminder, timed from the channels' estimates: all before the 202. Should the
        // process die before the reminder, the client got no 202 and retries (with its Idempotency-Key, a replay).
        await state.WriteStateAsync();
        var estimatedStart = await DispatchPending();
        await ArmBackstop(estimatedStart, always: true);
        ReleaseMemoryWhileWaiting(estimatedStart);
        return new SubmissionResult(SubmissionOutcome.Created, View());
    }

    public Task<AssistanceRequestView?> Get() => Task.FromResult(state.RecordExists ? View() : null);

    public async Task<AssistanceRequestView?> Acknowledge()
    {
        if (!state.RecordExists) return null;
        if (Request.AcknowledgedAt is not null) return View();
        var pending = PendingChannels().ToArray();
        Request.AcknowledgedAt = time.GetUtcNow();
        foreach (var channel in pending) Request.Deliveries[channel].Status = DeliveryStatus.Cancelled;
        await state.WriteStateAsync();
        foreach (var channel in pending)
            await GrainFactory.GetGrain<IChannelGrain>(channel).Cancel(this.GetPrimaryKey());
        await SyncDeadLetterList();
        await StopBackstopWhenDone();
        return View();
    }

    public async Task<RetryResult> Retry()
    {
        if (!state.RecordExists) return new RetryResult(RetryOutcome.NotFound, null);
        var failed = Request.Deliveries.Values.Where(d => d.Status == DeliveryStatus.Failed).ToArray();
        if (failed.Length == 0 || Request.AcknowledgedAt is not null) return new RetryResult(RetryOutcome.NothingToRetry, View());
        var now = time.GetUtcNow();
        foreach (var delivery in failed)
        {
            delivery.Status = DeliveryStatus.Pending;
            delivery.PendingSince = now;
            delivery.NextAttemptAt = null;
        }
        await state.WriteStateAsync();
        await SyncDeadLetterList();
        await ArmBackstop(await DispatchPending(), always: true);
        return new RetryResult(RetryOutcome.Retrying, View());
    }

    public async Task<bool> RecordAttempt(string channel, AttemptOutcome outcome)
    {
        if (!state.RecordExists || !Request.Deliveries.TryGetValue(channel, out var delivery) || delivery.Status != DeliveryStatus.Pending)
            return false;
        delivery.Record(outcome);
        await state.WriteStateAsync();
        await SyncDeadLetterList();
        await StopBackstopWhenDone();
        return delivery.Status == DeliveryStatus.Pending;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != BackstopReminder) return;
        if (state.RecordExists)
        {
            await SyncDeadLetterList();
            if (Request.HasPendingDeliveries)
            {
                var estimatedStart = await DispatchPending();
                await ArmBackstop(estimatedStart, always: false);
                ReleaseMemoryWhileWaiting(estimatedStart);
            }
        }
        await StopBackstopWhenDone();
    }

    /// <summary>
    /// Sets the reminder to fire when the slowest channel expects to reach this request, or after the recovery
    /// interval if that is sooner; <paramref name="always"/> false re-arms only when the estimate is well beyond it.
    /// </summary>
    private async Task ArmBackstop(DateTimeOffset? estimatedStart, bool always)
    {
        var wait = estimatedStart is { } start ? start - time.GetUtcNow() : TimeSpan.Zero;
        if (!always && wait < 2 * BackstopPeriod) return;
        backstop = await this.RegisterOrUpdateReminder(BackstopReminder, wait > BackstopPeriod ? wait : BackstopPeriod, BackstopPeriod);
    }

    /// <summary>A request that will wait in a backlog need not stay in memory: its channel holds the work.</summary>
    private void ReleaseMemoryWhileWaiting(DateTimeOffset? estimatedStart)
    {
        if (estimatedStart is { } start && start - time.GetUtcNow() > WaitWorthDeactivating) DeactivateOnIdle();
    }

    /// <summary>Hands every pending delivery to its channel (they ignore ones they already hold); returns the latest estimate of when they start.</summary>
    private async Task<DateTimeOffset?> DispatchPending()
    {
        var changed = false;
        DateTimeOffset? latest = null;
        foreach (var channel in PendingChannels())
        {
            var delivery = Request.Deliveries[channel];
            var work = new DeliveryWork(this.GetPrimaryKey(), Request.Topic, Request.Description, Request.CreatedAt,
                delivery.Attempts, delivery.PendingSince, delivery.NextAttemptAt);
            try
            {
                var admission = await GrainFactory.GetGrain<IChannelGrain>(channel).Enqueue(work);
                if (admission.EstimatedStart is { } start && (latest is null || start > latest)) latest = start;
                if (admission.Problem is not null && admission.Problem != delivery.LastError)
                {
                    delivery.LastError = admission.Problem;
                    changed = true;
                }
            }
            catch (Exception ex)
            {
                // The backstop reminder tries again; the request is already stored.
                logger.LogWarning(ex, "Could not queue request {RequestId} on channel {Channel}", this.GetPrimaryKey(), channel);
            }
        }
        if (changed) await state.WriteStateAsync();
        return latest;
    }

    private IEnumerable<string> PendingChannels() =>
        Request.Deliveries.Where(d => d.Value.Status == DeliveryStatus.Pending).Select(d => d.Key);

    /// <summary>Puts the request on the dead-letter list when it failed, and off when it no longer has; the reminder retries a miss.</summary>
    private async Task SyncDeadLetterList()
    {
        if (!Request.DeadLetterListOutOfStep) return;
        try
        {
            var deadLetters = GrainFactory.GetGrain<IDeadLetterGrain>(0);
            if (Request.Status == RequestStatus.Failed)
                await deadLetters.Add(this.GetPrimaryKey(), time.GetUtcNow());
            else
                await deadLetters.Remove(this.GetPrimaryKey());
            Request.ListedAsDeadLetter = !Request.ListedAsDeadLetter;
            await state.WriteStateAsync();
        }
        catch (Exception ex) when (ex is not Orleans.Storage.InconsistentStateException)
        {
            logger.LogWarning(ex, "Could not update the dead-letter list for request {RequestId}; the reminder tries again", this.GetPrimaryKey());
        }
    }

    /// <summary>
    /// The reminder goes once nothing is pending and the dead-letter list agrees with the status; so does the
    /// activation, since a finished request is only read again if someone asks for it.
    /// </summary>
    private async Task StopBackstopWhenDone()
    {
        if (state.RecordExists && (Request.HasPendingDeliveries || Request.DeadLetterListOutOfStep)) return;
        if ((backstop ?? await this.GetReminder(BackstopReminder)) is { } reminder)
            await this.UnregisterReminder(reminder);
        backstop = null;
        DeactivateOnIdle();
    }

    private AssistanceRequestView View() => new(
        this.GetPrimaryKey(), Request.Topic, Request.Description, Request.Status, Request.CreatedAt, Request.AcknowledgedAt,
        Request.Deliveries.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new DeliveryView(
            d.Key, d.Value.Status, d.Value.Attempts, d.Value.LastError, d.Value.DeliveredAt, d.Value.NextAttemptAt,
            [.. d.Value.RecentAttempts])).ToArray());
}
