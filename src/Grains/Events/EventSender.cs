using AssistanceRouter.Grains.Channels.Senders;

namespace AssistanceRouter.Grains.Events;

/// <summary>Posts an event's body, signed by the Standard Webhooks rule, with the event's own stable <c>webhook-id</c>.</summary>
public sealed class EventSender(SignedPost post) : IChannelSender
{
    public Task<SendResult> SendAsync(OutgoingNotice notice, CancellationToken cancellationToken) =>
        post.SendAsync(notice.NoticeId, _ => notice.Body ?? [], cancellationToken);
}
