namespace AssistanceRouter.Grains.Storage;

/// <summary>
/// What one transition of a request stores together with its record, in the same write (one Redis script, one SQLite
/// transaction): its moves between the request lists, the notices it puts on channels' queues and the ones it takes off.
/// So a transition is stored whole or not at all, and the request, its list entries and its notices never disagree.
/// </summary>
public sealed class RequestWrite
{
    public List<ListChange> Lists { get; } = [];

    public List<QueuedNotice> Puts { get; } = [];

    public List<NoticeRemoval> Removals { get; } = [];

    /// <summary>Into list <paramref name="to"/> at <paramref name="at"/>, and out of <paramref name="from"/> when given (see <see cref="IRequestIndex.MoveAsync"/>).</summary>
    public void Move(string topic, string? from, string to, DateTimeOffset at) => Lists.Add(new(topic, from, to, at.ToUnixTimeMilliseconds()));

    /// <summary>Out of <paramref name="list"/>, if it is there.</summary>
    public void RemoveFromList(string list, string topic) => Lists.Add(new(topic, list, null, 0));

    /// <summary>Puts a notice on queue <paramref name="queue"/> (a channel's, or a channel's schedule), replacing one with its id.</summary>
    public void Put(string queue, StoredNotice notice) => Puts.Add(new(queue, notice));

    /// <summary>Takes a notice off queue <paramref name="queue"/>; nothing happens if it is not there.</summary>
    public void Remove(string queue, string noticeId) => Removals.Add(new(queue, noticeId));
}

/// <summary>Out of list <see cref="From"/> (if any), into list <see cref="To"/> (if any) at <see cref="AtMs"/> milliseconds.</summary>
public readonly record struct ListChange(string Topic, string? From, string? To, long AtMs);

public readonly record struct QueuedNotice(string Queue, StoredNotice Notice);

public readonly record struct NoticeRemoval(string Queue, string NoticeId);
