namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>Sends one delivery to the outside world and says how it went; never throws for a failed send.</summary>
public interface IChannelSender
{
    Task<SendResult> SendAsync(DeliveryMessage message, CancellationToken cancellationToken);
}

/// <summary>One notice about one request to one channel: the request itself, a reminder, who took it, or an event.</summary>
public sealed record DeliveryMessage(Guid RequestId, string Channel, string Topic, string Description, DateTimeOffset CreatedAt)
{
    public NoticeKind Kind { get; init; } = NoticeKind.Request;

    /// <summary>The notice's id within the request: the request id itself for the first notice, then numbered.</summary>
    public string NoticeId { get; init; } = RequestId.ToString("N");

    /// <summary>Who took or resolved the request (<see cref="NoticeKind.Taken"/>, <see cref="NoticeKind.Resolved"/>).</summary>
    public string? By { get; init; }

    /// <summary>The signed "Take it" link of a request notice (<see cref="NoticeKind.Request"/>, <see cref="NoticeKind.StillWaiting"/>), when links are on.</summary>
    public string? TakeUrl { get; init; }

    /// <summary>Where a person joins the customer's conversation, when the bot gave one.</summary>
    public string? ConversationUrl { get; init; }

    /// <summary>When this notice was made: an escalation step's time for a reminder, so that it can say how long the request waited.</summary>
    public DateTimeOffset At { get; init; } = CreatedAt;

    /// <summary>How long the customer has waited when this notice was made, in words ("5 min").</summary>
    public string Waited => At - CreatedAt is var waited && waited.TotalHours >= 1 ? $"{(int)waited.TotalHours} h {waited.Minutes} min"
        : waited.TotalMinutes >= 1 ? $"{(int)waited.TotalMinutes} min" : $"{(int)waited.TotalSeconds} s";

    /// <summary>The rendered body of an event (<see cref="NoticeKind.Event"/>).</summary>
    public byte[]? Body { get; init; }

    /// <summary>The same on every attempt and every silo, so that a receiver can drop repeats.</summary>
    public string DeliveryId => $"{NoticeId}-{Channel}";

    /// <summary>The first notice of this request on this channel: what later notices refer to (an email thread's root).</summary>
    public string ThreadId => $"{RequestId:N}-{Channel}";
}

public enum SendStatus { Delivered, Transient, Permanent }

/// <summary>Transient results are retried (after <see cref="RetryAfter"/> when the receiver asked); permanent ones fail the delivery.</summary>
public sealed record SendResult(SendStatus Status, string? Error = null, TimeSpan? RetryAfter = null)
{
    public static SendResult Delivered { get; } = new(SendStatus.Delivered);
    public static SendResult Transient(string error, TimeSpan? retryAfter = null) => new(SendStatus.Transient, error, retryAfter);
    public static SendResult Permanent(string error) => new(SendStatus.Permanent, error);
}
