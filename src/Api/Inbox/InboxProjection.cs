using System.Runtime.InteropServices;
using AssistanceRouter.Grains.Changes;

namespace AssistanceRouter.Api.Inbox;

/// <summary>
/// This API node's picture of every open, taken and recently resolved request, in memory: read once from the durable
/// lists (<see cref="InboxFeed"/> seeds it) and kept current by the cluster's change feed, so that the inbox's lists,
/// its counts and its search cost no storage read and no grain call, however many pages ask. A query walks the
/// summaries once (100,000 open requests: a few milliseconds) and its answer is kept until the next change.
/// </summary>
public sealed class InboxProjection(TimeProvider time)
{
    /// <summary>How far back "recently resolved" reaches.</summary>
    public static readonly TimeSpan ResolvedWindow = TimeSpan.FromHours(24);

    /// <summary>A query's answer is read again after this long even without a change, so that old resolutions drop out.</summary>
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    private const int CacheSize = 32;

    private readonly Lock gate = new();
    private Dictionary<Guid, RequestSummary> requests = [];
    private List<RequestSummary>? appliedDuringSeed;
    private long version;
    private readonly Dictionary<(string? Topic, string? Query, int Open, int Taken, int Resolved), (long Version, DateTimeOffset At, InboxView View)> answers = [];

    public int Count
    {
        get { lock (gate) return requests.Count; }
    }

    /// <summary>Keeps each summary unless the projection holds a later one of the same request.</summary>
    public void Apply(IEnumerable<RequestSummary> summaries)
    {
        lock (gate)
        {
            foreach (var summary in summaries)
            {
                Put(requests, summary);
                appliedDuringSeed?.Add(summary);
            }
            version++;
        }
    }

    public void Apply(RequestSummary summary) => Apply([summary]);

    /// <summary>Changes that arrive while a seed is read are kept aside too, and laid over the seed when it is swapped in.</summary>
    public void BeginSeed()
    {
        lock (gate) appliedDuringSeed = [];
    }

    /// <summary>Swaps the seed in, with what changed meanwhile laid over it; null: the read failed, keep what is held.</summary>
    public void EndSeed(IEnumerable<RequestSummary>? seed)
    {
        if (seed is null)
        {
            lock (gate) appliedDuringSeed = null;
            return;
        }
        var fresh = new Dictionary<Guid, RequestSummary>();
        foreach (var summary in seed) Put(fresh, summary);
        lock (gate)
        {
            foreach (var summary in appliedDuringSeed ?? []) Put(fresh, summary);
            appliedDuringSeed = null;
            requests = fresh;
            version++;
        }
    }

    /// <summary>Forgets resolutions older than <see cref="ResolvedWindow"/>, so that memory follows what the inbox shows.</summary>
    public void Prune()
    {
        var cutoff = time.GetUtcNow() - ResolvedWindow;
        lock (gate)
        {
            foreach (var old in requests.Values.Where(r => r.Resolution is { } done && done.At < cutoff).Select(r => r.Id).ToArray())
                requests.Remove(old);
        }
    }

    /// <summary>
    /// The open requests oldest first, taken and resolved ones newest first (of one topic, and matching a search, when
    /// given), the first <paramref name="open"/>, <paramref name="taken"/>, <paramref name="resolved"/> of each.
    /// </summary>
    public InboxView Query(string? topic, InboxSearch? search, int open, int taken, int resolved)
    {
        var now = time.GetUtcNow();
        var key = (topic, search?.Text, open, taken, resolved);
        lock (gate)
        {
            if (answers.TryGetValue(key, out var kept) && kept.Version == version && now - kept.At < CacheFor) return kept.View;
            var view = Walk(topic, search, now - ResolvedWindow, open, taken, resolved);
            if (answers.Count >= CacheSize) answers.Clear();
            answers[key] = (version, now, view);
            return view;
        }
    }

    private InboxView Walk(string? topic, InboxSearch? search, DateTimeOffset resolvedSince, int open, int taken, int resolved)
    {
        var oldestFirst = new TopList(open, (a, b) => Compare(a.CreatedAt, b.CreatedAt, a, b));
        var takenNewestFirst = new TopList(taken, (a, b) => Compare(b.Acknowledgement!.At, a.Acknowledgement!.At, a, b));
        var resolvedNewestFirst = new TopList(resolved, (a, b) => Compare(b.Resolution!.At, a.Resolution!.At, a, b));
        var topics = new Dictionary<string, (int Open, int Taken)>(StringComparer.Ordinal);
        foreach (var request in requests.Values)
        {
            if (request.Resolution is { } done && done.At < resolvedSince) continue;
            if (search is not null && !search.Matches(request)) continue;
            if (request.Resolution is null)
            {
                ref var count = ref CollectionsMarshal.GetValueRefOrAddDefault(topics, request.Topic, out _);
                if (request.IsOpen) count.Open++;
                else count.Taken++;
            }
            if (topic is not null && request.Topic != topic) continue;
            (request.Resolution is not null ? resolvedNewestFirst : request.Acknowledgement is not null ? takenNewestFirst : oldestFirst).Add(request);
        }
        return new InboxView(oldestFirst.Items(), oldestFirst.Seen, takenNewestFirst.Items(), takenNewestFirst.Seen,
            resolvedNewestFirst.Items(), resolvedNewestFirst.Seen,
            topics.ToDictionary(t => t.Key, t => new TopicCount(t.Key, t.Value.Open, t.Value.Taken), StringComparer.Ordinal));
    }

    private static int Compare(DateTimeOffset first, DateTimeOffset second, RequestSummary a, RequestSummary b)
    {
        var byTime = first.CompareTo(second);
        return byTime != 0 ? byTime : a.Id.CompareTo(b.Id);
    }

    private static void Put(Dictionary<Guid, RequestSummary> into, RequestSummary summary)
    {
        if (!into.TryGetValue(summary.Id, out var held) || held.UpdatedAt <= summary.UpdatedAt) into[summary.Id] = summary;
    }

    /// <summary>The first <c>size</c> items in an order, from one pass over many: a heap whose top is the last one kept.</summary>
    private sealed class TopList(int size, Comparison<RequestSummary> order)
    {
        private readonly PriorityQueue<RequestSummary, RequestSummary> kept = new(Comparer<RequestSummary>.Create((a, b) => order(b, a)));

        public int Seen { get; private set; }

        public void Add(RequestSummary item)
        {
            Seen++;
            if (size <= 0) return;
            if (kept.Count < size) kept.Enqueue(item, item);
            else if (order(item, kept.Peek()) < 0) kept.DequeueEnqueue(item, item);
        }

        public RequestSummary[] Items()
        {
            var items = new RequestSummary[kept.Count];
            for (var i = items.Length - 1; i >= 0; i--) items[i] = kept.Dequeue();
            return items;
        }
    }
}
