namespace AssistanceRouter.Grains.Channels;

/// <summary>
/// One per channel in the whole cluster: the single place that decides when the channel may send, so that its rate
/// limit holds however many silos there are. Its queue is durable (<see cref="Storage.IChannelQueueStore"/>).
/// </summary>
public interface IChannelGrain : IGrainWithStringKey
{
    /// <summary>Stores the notices in the channel's queue (replacing any with the same id) and returns once they are durable.</summary>
    /// <remarks>
    /// This version's requests store their notices in their own write and call <see cref="Admit"/>; this stays for the
    /// request grains of silos of the version before, while a cluster is upgraded (and <see cref="Cancel"/> with it).
    /// Its method id is the one Orleans made from its signature before <see cref="Notice"/> was renamed from
    /// <c>ChannelMessage</c>: silos of both versions call each other while a cluster is upgraded one silo at a time.
    /// </remarks>
    [Alias("1198C6BD")]
    Task<ChannelAdmission> Enqueue(Notice[] notices);

    /// <summary>
    /// Takes notices its caller has already stored in this channel's queue into memory, to be sent when due; a notice it
    /// already holds or is attempting stays as it is. Should this call not arrive, the channel finds them in its store at
    /// its next wake (<see cref="Wake"/>).
    /// </summary>
    Task<ChannelAdmission> Admit(DueNotice[] notices);

    /// <summary>
    /// Stops notices its caller has already taken out of this channel's stored queue: drops them from memory and aborts a
    /// send of one under way; returns once none of them can go out any more.
    /// </summary>
    Task Withdraw(string[] noticeIds);

    /// <summary>
    /// Drops the given notices from the queue, durably, and stops any of them being sent right now; returns once none
    /// of them can go out any more.
    /// </summary>
    Task Cancel(string[] noticeIds);

    Task<ChannelView> GetView();

    /// <summary>Holds the channel: it keeps its queue and sends nothing until resumed, across restarts.</summary>
    Task<ChannelView> Pause();

    Task<ChannelView> Resume();

    /// <summary>
    /// Wakes the channel (loading its stored queue), and takes in any notice stored before its window's end that it does
    /// not hold (one whose <see cref="Admit"/> never arrived); every silo calls this at start and now and then.
    /// </summary>
    Task Wake();
}

/// <summary>
/// <see cref="Problem"/> says why the channel cannot send now (for example, it is not configured); <see cref="Waits"/>,
/// that the notice will not go out for a while (a problem, an operator's pause, or a backlog of more than
/// <see cref="ChannelGrain.BacklogSeconds"/> at the channel's rate), so its request need not stay in memory for it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChannelAdmission([property: Id(0)] string? Problem, [property: Id(1)] bool Waits = false);

[GenerateSerializer, Immutable]
public sealed record ChannelView(
    [property: Id(0)] string Name,
    [property: Id(1)] string Kind,
    [property: Id(2)] bool Configured,
    [property: Id(3)] double RatePerSecond,
    [property: Id(4)] int Burst,
    [property: Id(5)] long Pending,
    [property: Id(6)] long Delivered,
    [property: Id(7)] long Failed,
    [property: Id(8)] long Retried,
    [property: Id(9)] long RateLimited,
    [property: Id(10)] string? LastError,
    [property: Id(11)] bool Paused,
    [property: Id(12)] DateTimeOffset? RateLimitedUntil,
    [property: Id(13)] TimeSpan? OldestPendingAge,
    [property: Id(14)] int InFlight);
