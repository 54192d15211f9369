using Microsoft.Extensions.DependencyInjection;

namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>
/// Writes each request to the log: for trying the product without Slack or a mail server. The customer's words are
/// personal data: at Information the log shows their length; the text itself only at Debug.
/// </summary>
public sealed class ConsoleKind : IChannelKind
{
    public string Name => "Console";
    public double DefaultRatePerSecond => 100;
    public int DefaultBurst => 100;

    public SenderSetup CreateSender(ChannelSettings channel, IServiceProvider services) =>
        SenderSetup.Ready(new ConsoleSender(services.GetRequiredService<ILogger<ConsoleSender>>()));
}

public sealed partial class ConsoleSender(ILogger<ConsoleSender> logger) : IChannelSender
{
    public Task<SendResult> SendAsync(OutgoingNotice notice, CancellationToken cancellationToken)
    {
        if (notice.Kind is NoticeKind.Taken or NoticeKind.Resolved)
            logger.LogInformation("Assistance request {RequestId} on topic {Topic}: {Kind} by {By}", notice.RequestId, notice.Topic, notice.Kind, notice.By);
        else
        {
            // The customer's words are personal data: their length at Information, the words themselves at Debug.
            Received(notice.RequestId, notice.Topic, notice.Kind, notice.DeliveryId, notice.Description.Length);
            Text(notice.RequestId, notice.Description);
        }
        return Task.FromResult(SendResult.Delivered);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Assistance request {RequestId} on topic {Topic} ({Kind}, delivery {DeliveryId}): {DescriptionLength} characters")]
    private partial void Received(Guid requestId, string topic, NoticeKind kind, string deliveryId, int descriptionLength);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Assistance request {RequestId} says: {Description}")]
    private partial void Text(Guid requestId, string description);
}
