using AssistanceRouter.Grains.Storage;

namespace AssistanceRouter.Grains.Channels;

/// <summary>
/// The part of a channel's stored queue that its grain holds in memory: the first notices in due order, read from the
/// store a page at a time as the window drains, so that memory stays bounded however long the queue is. Every stored
/// notice up to the window's end is in memory, here or in flight (<paramref name="inFlight"/>: being attempted, which
/// the grain tracks). Used by one grain activation, one turn at a time.
/// </summary>
public sealed class NoticeWindow(
    IChannelQueueStore store, string channel, Func<byte[], Notice> read, Func<string, bool> inFlight, TimeProvider time, int pageSize)
{
    /// <summary>How soon a read of the store that failed is tried again.</summary>
    public static readonly TimeSpan ReadRetryDelay = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, HeldNotice> held = [];
    private readonly SortedSet<QueuePosition> order = [];

    /// <summary>Every stored notice up to this position is in memory (held or in flight); null: none loaded yet.</summary>
    private QueuePosition? end;

    /// <summary>While a page loads, what changed in the meantime (null: removed), so that the page does not bring back stale copies.</summary>
    private Dictionary<string, HeldNotice?>? changedWhileLoading;

    /// <summary>Notices held (not in flight).</summary>
    public int Count => held.Count;

    /// <summary>The whole stored queue is in memory: nothing is left to read.</summary>
    public bool EverythingLoaded { get; private set; }

    public bool IsLoading => changedWhileLoading is not null;

    /// <summary>After a failed read of the store, the next one waits until then.</summary>
    public DateTimeOffset NextLoadAt { get; private set; }

    /// <summary>Whether the window holds notice <paramref name="id"/> (not counting one in flight).</summary>
    public bool Holds(string id) => held.ContainsKey(id);

    /// <summary>When the first notice in due order is due; null when none is held.</summary>
    public DateTimeOffset? FirstDue => order.Count > 0 ? order.Min.Due : null;

    /// <summary>Keeps a notice in memory when it falls inside the window; otherwise the store holds it until its page is read.</summary>
    public void Place(HeldNotice notice)
    {
        var id = notice.Notice.Id;
        Remove(id);
        if (changedWhileLoading is not null) changedWhileLoading[id] = notice;
        if (inFlight(id)) return; // its attempt decides what happens next
        if (!EverythingLoaded && (end is not { } last || notice.Stored.Position.CompareTo(last) > 0)) return;
        held[id] = notice;
        order.Add(notice.Stored.Position);
        Trim();
    }

    /// <summary>Drops a notice from memory, and from any page being read.</summary>
    public void Remove(string id)
    {
        MarkRemoved(id);
        if (held.Remove(id, out var previous)) order.Remove(previous.Stored.Position);
    }

    /// <summary>A notice removed from the store: a page read before the removal must not bring it back.</summary>
    public void MarkRemoved(string id)
    {
        if (changedWhileLoading is not null) changedWhileLoading[id] = null;
    }

    /// <summary>Takes the first notice in due order out of the window (for its attempt); call only when <see cref="FirstDue"/> has a value.</summary>
    public HeldNotice TakeFirst()
    {
        var first = order.Min;
        order.Remove(first);
        held.Remove(first.Id, out var notice);
        return notice!;
    }

    /// <summary>
    /// Reads the page after the window; notices changed while it was read keep their newer version. A failed read
    /// throws, after <see cref="NextLoadAt"/> is set <see cref="ReadRetryDelay"/> ahead.
    /// </summary>
    public async Task LoadNextPageAsync()
    {
        if (EverythingLoaded || changedWhileLoading is not null) return;
        await Reading(async () =>
        {
            var page = await store.ReadAsync(channel, end, pageSize);
            if (page.Count > 0 && (end is not { } last || page[^1].Position.CompareTo(last) > 0)) end = page[^1].Position;
            if (page.Count < pageSize) EverythingLoaded = true;
            TakeIn(page, limit: null);
        });
    }

    /// <summary>
    /// Reads the stored queue again from its start to the window's end and takes in every notice it neither holds nor is
    /// attempting: one its request stored but whose telling (<see cref="IChannelGrain.Admit"/>) was lost to a crash or a
    /// timeout between the two. Taken in as recovered, so that its request is asked before it goes. A few pages at most:
    /// the window is bounded.
    /// </summary>
    public async Task ReconcileAsync()
    {
        if (changedWhileLoading is not null || (end is null && !EverythingLoaded)) return; // nothing read yet: the next load reads it all
        await Reading(async () =>
        {
            var limit = EverythingLoaded ? null : end;
            QueuePosition? after = null;
            while (true)
            {
                var page = await store.ReadAsync(channel, after, pageSize);
                if (!TakeIn(page, limit) || page.Count < pageSize) break;
                after = page[^1].Position;
            }
            Trim();
        });
    }

    /// <summary>Runs a read of the store, keeping what changes meanwhile (see <see cref="changedWhileLoading"/>) over what it read.</summary>
    private async Task Reading(Func<Task> read)
    {
        changedWhileLoading = [];
        try
        {
            await read();
        }
        catch
        {
            NextLoadAt = time.GetUtcNow() + ReadRetryDelay;
            throw;
        }
        finally
        {
            var changed = changedWhileLoading;
            changedWhileLoading = null;
            foreach (var (_, notice) in changed)
                if (notice is not null) Place(notice);
        }
    }

    /// <summary>Holds the notices of a page that are new to the window, up to <paramref name="limit"/>; false once past it.</summary>
    private bool TakeIn(IReadOnlyList<StoredNotice> page, QueuePosition? limit)
    {
        foreach (var stored in page)
        {
            if (limit is { } last && stored.Position.CompareTo(last) > 0) return false;
            if (changedWhileLoading!.ContainsKey(stored.Id) || held.ContainsKey(stored.Id) || inFlight(stored.Id)) continue;
            held[stored.Id] = new HeldNotice(stored, read(stored.Payload), Recovered: true);
            order.Add(stored.Position);
        }
        return true;
    }

    /// <summary>A live backlog that outgrows the window leaves its tail in the store: memory stays bounded however long the queue.</summary>
    private void Trim()
    {
        if (held.Count <= 2 * pageSize) return;
        while (held.Count > pageSize)
        {
            var last = order.Max;
            order.Remove(last);
            held.Remove(last.Id);
        }
        end = order.Max;
        EverythingLoaded = false;
    }
}
