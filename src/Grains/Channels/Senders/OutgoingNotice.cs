namespace AssistanceRouter.Grains.Channels.Senders;

/// <summary>
/// What a sender is handed: one notice about one request (the request itself, a reminder, who took it, or an event),
/// with the channel it goes to and, for a request notice, its "Take it" link.
/// </summary>
public sealed record OutgoingNotice(Guid RequestId, string Channel, string Topic, string Description, DateTimeOffset CreatedAt)
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

    /// <summary>Where the receiver keeps this request's first message on this channel, when it named one: a later notice replies to it or updates it.</summary>
    public string? MessageAddress { get; init; }

    /// <summary>The rendered body of an event (<see cref="NoticeKind.Event"/>).</summary>
    public byte[]? Body { get; init; }

    /// <summary>The same on every attempt and every silo, so that a receiver can drop repeats.</summary>
    public string DeliveryId => $"{NoticeId}-{Channel}";

    /// <summary>The first notice of this request on this channel: what later notices refer to (an email thread's root).</summary>
    public string ThreadId => $"{RequestId:N}-{Channel}";

    /// <summary>What a channel hands its sender for <paramref name="notice"/>.</summary>
    public static OutgoingNotice For(Notice notice, string channel, string? takeUrl) =>
        new(notice.RequestId, channel, notice.Topic, notice.Description, notice.CreatedAt)
        {
            Kind = notice.Kind,
            NoticeId = notice.Id,
            By = notice.By,
            ConversationUrl = notice.ConversationUrl,
            TakeUrl = takeUrl,
            Body = notice.Body,
            At = notice.PendingSince,
            MessageAddress = notice.MessageAddress,
        };
}
