namespace AssistanceRouter.Grains.Channels;

/// <summary>
/// A channel's schedule: the escalation steps of requests, due later, that the channel's grain holds and fires on time.
/// Stored as a queue of its own beside the channel's (same store, same order, same paging), under a name that starts with
/// <c>@</c> as the events channel's does, so that its entries never count as, or wait behind, the notices the channel sends.
/// </summary>
public static class ChannelSchedule
{
    private const string Prefix = "@steps/";

    /// <summary>The stored queue that holds <paramref name="channel"/>'s schedule.</summary>
    public static string QueueOf(string channel) => Prefix + channel;

    /// <summary>The channel whose grain holds <paramref name="queue"/>: the channel itself, or the one whose schedule it is.</summary>
    public static string ChannelOf(string queue) => queue.StartsWith(Prefix, StringComparison.Ordinal) ? queue[Prefix.Length..] : queue;
}
