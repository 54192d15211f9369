namespace AssistanceRouter.Grains.Channels;

/// <summary>
/// One per channel in the whole cluster: the single place that decides when the channel may send,
/// so that its rate limit holds however many silos there are.
/// </summary>
public interface IChannelGrain : IGrainWithStringKey
{
    /// <summary>Queues one delivery; repeats of a queued one are ignored. Says whether the channel can send at all.</summary>
    Task<ChannelAdmission> Enqueue(DeliveryWork work);

    /// <summary>Drops a queued delivery that nobody wants any more.</summary>
    Task Cancel(Guid requestId);

    Task<ChannelView> GetView();
}

/// <summary>Everything a channel needs to send one delivery without calling back first.</summary>
[GenerateSerializer, Immutable]
public sealed record DeliveryWork(
    [property: Id(0)] Guid RequestId,
    [property: Id(1)] string Topic,
    [property: Id(2)] string Description,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] int PreviousAttempts,
    [property: Id(5)] DateTimeOffset PendingSince,
    [property: Id(6)] DateTimeOffset? NotBefore);

/// <summary>
/// <see cref="Problem"/> says why the channel cannot send now (for example, it is not configured);
/// <see cref="EstimatedStart"/> is when, at its rate, the channel expects to reach this delivery.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChannelAdmission([property: Id(0)] string? Problem, [property: Id(1)] DateTimeOffset? EstimatedStart = null);

[GenerateSerializer, Immutable]
public sealed record ChannelView(
    [property: Id(0)] string Name,
    [property: Id(1)] string Kind,
    [property: Id(2)] bool Configured,
    [property: Id(3)] double RatePerSecond,
    [property: Id(4)] int Burst,
    [property: Id(5)] int Pending,
    [property: Id(6)] long Delivered,
    [property: Id(7)] long Failed,
    [property: Id(8)] long Retried,
    [property: Id(9)] long RateLimited,
    [property: Id(10)] string? LastError,
    [property: Id(11)] bool Paused,
    [property: Id(12)] DateTimeOffset? PausedUntil);
