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
        logger.LogInformation("Assistance request {RequestId} on topic {Topic} (delivery {DeliveryId}): {Description}",
            message.RequestId, message.Topic, message.DeliveryId, message.Description);
        return Task.FromResult(SendResult.Delivered);
    }
}
