using AssistanceRouter.Grains.Channels;

namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>Notices only a channel that can address the request's message needs (see <see cref="DeliveryState.MessageAddress"/>).</summary>
public sealed partial class AssistanceRequestState
{
    /// <summary>
    /// <paramref name="kind"/> into the outbox for every channel holding an address of this request's message: such a
    /// message shows the request's state (who has it, its buttons), so it must hear a change that other channels,
    /// whose posts cannot change, need not (a give-back is followed by the next escalation reminder there).
    /// </summary>
    public void NotifyAddressed(Guid requestId, NoticeKind kind, string by, DateTimeOffset now)
    {
        foreach (var (channel, delivery) in Deliveries.Where(d => d.Value.MessageAddress is not null))
            Outbox.Add(new OutboxItem(channel, NewNotice(requestId, kind, NextNoticeId(requestId), now) with { By = by, MessageAddress = delivery.MessageAddress }));
    }
}
