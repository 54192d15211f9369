using AssistanceRouter.Grains.Channels;
using Microsoft.Extensions.Options;

namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>
/// The durable record of one request and its deliveries. It is stored before the API answers; from then on a
/// reminder wakes it (after a crash, or if a channel lost its queue) and re-queues whatever is still pending,
/// until nothing is.
/// </summary>
public sealed class AssistanceRequestGrain(
    [PersistentState("request")] IPersistentState<AssistanceRequestState> state,
    IOptions<DeliveryOptions> options,
    TimeProvider time,
    ILogger<AssistanceRequestGrain> logger) : Grain, IAssistanceRequestGrain, IRemindable
{
    private const string BackstopReminder = "pending-deliveries";

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
            if (Request.HasPendingDeliveries) await DispatchPending();
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
        Request.Status = Request.DeriveStatus();
        // The reminder first: should the write fail, it finds no record and goes away; should the process die
        // after the write, it brings the request back.
        backstop = await this.RegisterOrUpdateReminder(BackstopReminder, BackstopPeriod, BackstopPeriod);
        await state.WriteStateAsync();
        await DispatchPending();
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
        Request.Status = Request.DeriveStatus();
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
        Request.Status = Request.DeriveStatus();
        backstop = await this.RegisterOrUpdateReminder(BackstopReminder, BackstopPeriod, BackstopPeriod);
        await state.WriteStateAsync();
        await SyncDeadLetterList();
        await DispatchPending();
        return new RetryResult(RetryOutcome.Retrying, View());
    }

    public async Task<bool> RecordAttempt(string channel, AttemptOutcome outcome)
    {
        if (!state.RecordExists || !Request.Deliveries.TryGetValue(channel, out var delivery) || delivery.Status != DeliveryStatus.Pending)
            return false;
        delivery.Record(outcome);
        Request.Status = Request.DeriveStatus();
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
            if (Request.HasPendingDeliveries) await DispatchPending();
        }
        await StopBackstopWhenDone();
    }

    /// <summary>Hands every pending delivery to its channel; channels ignore ones they already hold.</summary>
    private async Task DispatchPending()
    {
        var changed = false;
        foreach (var channel in PendingChannels())
        {
            var delivery = Request.Deliveries[channel];
            var work = new DeliveryWork(this.GetPrimaryKey(), Request.Topic, Request.Description, Request.CreatedAt,
                delivery.Attempts, delivery.PendingSince, delivery.NextAttemptAt);
            try
            {
                var admission = await GrainFactory.GetGrain<IChannelGrain>(channel).Enqueue(work);
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

    /// <summary>The reminder goes once nothing is pending and the dead-letter list agrees with the status.</summary>
    private async Task StopBackstopWhenDone()
    {
        if (state.RecordExists && (Request.HasPendingDeliveries || Request.DeadLetterListOutOfStep)) return;
        if ((backstop ?? await this.GetReminder(BackstopReminder)) is { } reminder)
            await this.UnregisterReminder(reminder);
        backstop = null;
    }

    private AssistanceRequestView View() => new(
        this.GetPrimaryKey(), Request.Topic, Request.Description, Request.Status, Request.CreatedAt, Request.AcknowledgedAt,
        Request.Deliveries.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new DeliveryView(
            d.Key, d.Value.Status, d.Value.Attempts, d.Value.LastError, d.Value.DeliveredAt, d.Value.NextAttemptAt,
            [.. d.Value.RecentAttempts])).ToArray());
}
