namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>Sends one notice to the outside world and says how it went; never throws for a failed send.</summary>
public interface IChannelSender
{
    Task<SendResult> SendAsync(OutgoingNotice notice, CancellationToken cancellationToken);
}
