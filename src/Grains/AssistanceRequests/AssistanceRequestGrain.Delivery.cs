using AssistanceRouter.Grains.Changes;
using AssistanceRouter.Grains.Events;
using AssistanceRouter.Grains.Storage;

namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>Delivery: its channels report each attempt of a notice, and ask about notices they recovered from their store.</summary>
public sealed partial class AssistanceRequestGrain
{
    public async Task<bool> RecordAttempt(string channel, string noticeId, AttemptOutcome outcome)
    {
        if (!Exists || !Request.Deliveries.TryGetValue(channel, out var delivery)
            || delivery.NoticeId != noticeId || delivery.Status != DeliveryStatus.Pending)
        {
            // Not a notice this request waits for: done, and the answer promises that its stored copy is gone.
            await queues.RemoveAsync(channel, [noticeId]);
            return false;
        }

        var before = Request.Status;
        var change = Change();
        delivery.Record(outcome);
        Request.KeepMessageAddress(channel, outcome);
        switch (outcome.Result)
        {
            case AttemptResult.Delivered:
                Request.Record(new HistoryRecord(outcome.At, HistoryEvents.Notified, channel));
                break;
            case AttemptResult.Failed:
                Request.Record(new HistoryRecord(outcome.At, HistoryEvents.DeliveryFailed, channel, Detail: outcome.Error));
                break;
            // Retries are not each an event: the first failure of a delivery is, the rest show in its attempts.
            case AttemptResult.WillRetry when delivery.Attempts == 1:
                Request.Record(new HistoryRecord(outcome.At, HistoryEvents.DeliveryFailed, channel, Detail: $"{outcome.Error}; retrying"));
                break;
        }
        // The outcome and the notice's removal from its queue are one write: the channel then only lets go of it in memory.
        // Between the send and this write the notice is still stored, so a crash there sends it again (at least once).
        if (delivery.Status != DeliveryStatus.Pending) change.Write.Remove(channel, noticeId);
        var after = Request.Status;
        if (after == RequestStatus.Failed && before != RequestStatus.Failed)
        {
            change.Write.Move(Request.Topic, null, RequestLists.Failed, outcome.At);
            AddEvent(change, EventTypes.Failed, outcome.At);
        }
        else if (after == RequestStatus.Delivered && !Request.DeliveredAnnounced)
        {
            Request.DeliveredAnnounced = true;
            AddEvent(change, EventTypes.Delivered, outcome.At);
        }
        await Run(() => Commit(change));
        changes.Published(after == RequestStatus.Failed && before != RequestStatus.Failed ? ChangeKind.Failed : ChangeKind.Attempted, View());
        // Once its channels have answered, nothing is coming for a while: its schedule entry wakes it for the next
        // escalation step and a person's click reads it again. Kept for CollectionAgeLimit instead, every request accepted in the
        // last two minutes sat in memory (360,000 at 3,000/s): a third of the GC's work and of Orleans' activation walks.
        if (!Request.HasPendingDeliveries) DeactivateOnIdle();
        return delivery.Status == DeliveryStatus.Pending;
    }

    public Task<bool> IsWanted(string channel, string noticeId) => Task.FromResult(
        Exists && Request.IsOpen && Request.Deliveries.TryGetValue(channel, out var delivery)
        && delivery.NoticeId == noticeId && delivery.Status == DeliveryStatus.Pending);
}
