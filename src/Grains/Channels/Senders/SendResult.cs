namespace AssistanceRouter.Grains.Channels.Senders;

public enum SendStatus { Delivered, Transient, Permanent }

/// <summary>Transient results are retried (after <see cref="RetryAfter"/> when the receiver asked); permanent ones fail the delivery.</summary>
public sealed record SendResult(SendStatus Status, string? Error = null, TimeSpan? RetryAfter = null)
{
    public static SendResult Delivered { get; } = new(SendStatus.Delivered);
    public static SendResult Transient(string error, TimeSpan? retryAfter = null) => new(SendStatus.Transient, error, retryAfter);
    public static SendResult Permanent(string error) => new(SendStatus.Permanent, error);
}
