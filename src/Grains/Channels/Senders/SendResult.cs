namespace AssistanceRouter.Grains.Channels.Senders;

public enum SendStatus { Delivered, Transient, Permanent }

/// <summary>Transient results are retried (after <see cref="RetryAfter"/> when the receiver asked); permanent ones fail the delivery.</summary>
/// <param name="Address">
/// Where the receiver keeps what was posted, when it names it (a Slack app's <c>channel</c> and <c>ts</c>): stored with
/// the delivery, so that the request's later notices on this channel can reply to that message or update it.
/// </param>
public sealed record SendResult(SendStatus Status, string? Error = null, TimeSpan? RetryAfter = null, string? Address = null)
{
    public static SendResult Delivered { get; } = new(SendStatus.Delivered);
    public static SendResult DeliveredTo(string address) => new(SendStatus.Delivered, Address: address);
    public static SendResult Transient(string error, TimeSpan? retryAfter = null) => new(SendStatus.Transient, error, retryAfter);
    public static SendResult Permanent(string error) => new(SendStatus.Permanent, error);
}
