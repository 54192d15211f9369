using AssistanceRouter.Grains.AssistanceRequests;

namespace AssistanceRouter.Grains.Channels;

/// <summary>
/// What a channel queues and sends: one notice about one request (or an event for the bot), with everything the
/// channel needs to send it without calling back first. Stored (serialized) in the channel's durable queue under
/// <see cref="Id"/>, which is stable across retries and restarts. Stored fields: never renumber.
/// </summary>
/// <remarks>Default members are not written, so that a notice without a message address is byte for byte what earlier versions wrote.</remarks>
[GenerateSerializer, Immutable, OmitDefaultMemberValues]
public sealed record Notice(
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
    [property: Id(11)] AttemptOutcome? Unreported = null,
    [property: Id(12)] string? MessageAddress = null)
{
    // MessageAddress: where the channel keeps this request's first message, when its receiver named one (a Slack app's
    // channel and ts); a later notice carries it so that its sender can reply in that message's thread or update it.

    /// <summary>Notices the request tracks as deliveries (and may cancel); the rest are told once and retried until taken.</summary>
    public bool IsTracked => Kind is NoticeKind.Request or NoticeKind.StillWaiting;
}
