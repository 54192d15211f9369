using Microsoft.Extensions.DependencyInjection;

namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>
/// Writes each notice to the log: for trying the product without Slack or a mail server. The customer's words are
/// personal data: at Information the log shows their length; the words themselves only at Debug.
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
        var words = new NoticeText(notice);
        if (notice.Kind is NoticeKind.Taken or NoticeKind.Resolved)
        {
            logger.LogInformation("Assistance request {RequestId} on topic {Topic}: {Kind} by {By}", notice.RequestId, notice.Topic, notice.Kind, notice.By);
            Told(notice.RequestId, words.Summary);
        }
        else
        {
            Received(notice.RequestId, notice.Topic, notice.Kind, notice.DeliveryId, notice.Description.Length);
            Text(notice.RequestId, words.Description);
        }
        return Task.FromResult(SendResult.Delivered);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Assistance request {RequestId} on topic {Topic} ({Kind}, delivery {DeliveryId}): {DescriptionLength} characters")]
    private partial void Received(Guid requestId, string topic, NoticeKind kind, string deliveryId, int descriptionLength);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Assistance request {RequestId} says: {Description}")]
    private partial void Text(Guid requestId, string description);

    /// <summary>Who took or resolved it, naming the request in the customer's words: Debug, as those words are.</summary>
    [LoggerMessage(Level = LogLevel.Debug, Message = "Assistance request {RequestId}: {Summary}")]
    private partial void Told(Guid requestId, string summary);
}
