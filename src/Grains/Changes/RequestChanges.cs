using System.Collections.Concurrent;
using AssistanceRouter.Grains.AssistanceRequests;

namespace AssistanceRouter.Grains.Changes;

/// <summary>
/// This silo's changes since its last batch, in memory: the request grain adds one per transition, in its own turn
/// and without a call or a write (it is on the accept path), and <see cref="ChangePump"/> pushes them out every
/// <see cref="ChangePump.FlushEvery"/>. Bounded: past <see cref="MaxBuffered"/> a change is dropped, and the next
/// batch skips a sequence number so that every node sees the gap and reads the lists again.
/// </summary>
public sealed class RequestChanges(TimeProvider time)
{
    public const int MaxBuffered = 100_000;

    private readonly ConcurrentQueue<RequestChange> buffer = new();
    private int buffered;
    private int lost;

    /// <summary>This silo process, as the batches it sends name it.</summary>
    public Guid Source { get; } = Guid.NewGuid();

    /// <summary>A transition of the request, now stored, as <paramref name="request"/> shows it.</summary>
    public void Published(ChangeKind kind, AssistanceRequestView request)
    {
        if (Interlocked.Increment(ref buffered) > MaxBuffered)
        {
            Interlocked.Decrement(ref buffered);
            Volatile.Write(ref lost, 1);
            return;
        }
        buffer.Enqueue(new RequestChange(kind, RequestSummary.Of(request, time.GetUtcNow())));
    }

    /// <summary>Everything buffered, oldest first, and whether any change was dropped since the last call.</summary>
    public (RequestChange[] Changes, bool Lost) Drain()
    {
        var changes = new List<RequestChange>(Math.Min(Volatile.Read(ref buffered), MaxBuffered));
        while (buffer.TryDequeue(out var change))
        {
            Interlocked.Decrement(ref buffered);
            changes.Add(change);
        }
        return ([.. changes], Interlocked.Exchange(ref lost, 0) == 1);
    }
}
