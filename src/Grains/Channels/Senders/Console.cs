using Microsoft.Extensions.DependencyInjection;

namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>Writes each request to the log: for trying the product without Slack or a mail server.</summary>
public sealed class ConsoleChannel : IChannelKind
{
    public string Name => "Console";
    public double DefaultRatePerSecond => 100;
    public int DefaultBurst => 100;

    public SenderSetup CreateSender(ChannelSettings channel, IServiceProvider services) =>
        SenderSetup.Ready(new ConsoleSender(services.GetRequiredService<ILogger<ConsoleSender>>()));
}

public sealed class ConsoleSender(ILogger<ConsoleSender> logger) : IChannelSender
{
    public Task<SendResult> SendAsync(DeliveryMessage message, CancellationToken cancellationToken)
    {
        // The console is where a person tries the product: it shows the customer's words, as Slack would.
        if (message.Kind is NoticeKind.Taken or NoticeKind.Resolved)
            logger.LogInformation("Assistance request {RequestId} on topic {Topic}: {Kind} by {By}", message.RequestId, message.Topic, message.Kind, message.By);
        else
            logger.LogInformation("Assistance request {RequestId} on topic {Topic} ({Kind}, delivery {DeliveryId}): {Description}",
                message.RequestId, message.Topic, message.Kind, message.DeliveryId, message.Description);
        return Task.FromResult(SendResult.Delivered);
    }
}
