namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>Sends one delivery to the outside world and says how it went; never throws for a failed send.</summary>
public interface IChannelSender
{
    Task<SendResult> SendAsync(DeliveryMessage message, CancellationToken cancellationToken);
}

/// <summary>One delivery of one request to one channel.</summary>
public sealed record DeliveryMessage(Guid RequestId, string Channel, string Topic, string Description, DateTimeOffset CreatedAt)
{
    /// <summary>The same on every attempt and every silo, so that a receiver can drop repeats.</summary>
    public string DeliveryId => $"{RequestId:N}-{Channel}";
}

public enum SendStatus { Delivered, Transient, Permanent }

/// <summary>Transient results are retried (after <see cref="RetryAfter"/> when the receiver asked); permanent ones fail the delivery.</summary>
public sealed record SendResult(SendStatus Status, string? Error = null, TimeSpan? RetryAfter = null)
{
    public static SendResult Delivered { get; } = new(SendStatus.Delivered);
    public static SendResult Transient(string error, TimeSpan? retryAfter = null) => new(SendStatus.Transient, error, retryAfter);
    public static SendResult Permanent(string error) => new(SendStatus.Permanent, error);
}
