using AssistanceRouter.Grains.AssistanceRequests;

namespace AssistanceRouter.Grains.Channels;

/// <summary>What a channel says about a request. Stored values: never renumber.</summary>
public enum NoticeKind
{
    /// <summary>A new request: someone please take it.</summary>
    Request = 0,
    /// <summary>An escalation step that reaches a channel again: still waiting.</summary>
    StillWaiting = 1,
    Taken = 2,
    Resolved = 3,
    /// <summary>A lifecycle event for the bot (the events channel).</summary>
    Event = 4,
}

/// <summary>
/// One entry of a channel's queue: everything the channel needs to send it without calling back first. Stored
/// (serialized) in the channel's durable queue under <see cref="Id"/>, which is stable across retries and restarts.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChannelMessage(
    [property: Id(0)] string Id,
    [property: Id(1)] Guid RequestId,
    [property: Id(2)] NoticeKind Kind,
    [property: Id(3)] string Topic,
    [property: Id(4)] string Description,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] string? ConversationUrl,
    [property: Id(7)] DateTimeOffset PendingSince,
    [property: Id(8)] string? By = null,
    [property: Id(9)] byte[]? Body = null,
    [property: Id(10)] int Attempts = 0,
    [property: Id(11)] AttemptOutcome? Unreported = null)
{
    /// <summary>Notices the request tracks as deliveries (and may cancel); the rest are told once and retried until taken.</summary>
    public bool IsTracked => Kind is NoticeKind.Request or NoticeKind.StillWaiting;
}
