using AssistanceRouter.Grains.Storage;

namespace AssistanceRouter.Tests.Infrastructure;

/// <summary>
/// The request lists in this silo's memory, for tests on memory storage: ordered as the durable stores order them
/// (milliseconds, then the id's lower-case text).
/// </summary>
public sealed class MemoryRequestIndex : IRequestIndex
{
    private static readonly Comparer<(long AtMs, string Id)> InListOrder = Comparer<(long AtMs, string Id)>.Create((a, b) =>
        a.AtMs != b.AtMs ? a.AtMs.CompareTo(b.AtMs) : string.CompareOrdinal(a.Id, b.Id));

    private readonly Lock gate = new();
    private readonly Dictionary<string, RequestList> lists = new(StringComparer.Ordinal);

    public Task MoveAsync(Guid requestId, string topic, string? from, string to, DateTimeOffset at)
    {
        lock (gate)
        {
            if (from is not null && lists.TryGetValue(from, out var source)) source.Remove(requestId);
            if (!lists.TryGetValue(to, out var target)) lists[to] = target = new RequestList();
            target.Put(requestId, topic, at.ToUnixTimeMilliseconds());
        }
        return Task.CompletedTask;
    }

    public Task RemoveAsync(string list, Guid requestId, string topic)
    {
        lock (gate)
        {
            if (lists.TryGetValue(list, out var requests)) requests.Remove(requestId);
        }
        return Task.CompletedTask;
    }

    public Task<IndexPage> PageAsync(string list, string? topic, bool newestFirst, int skip, int take)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(skip);
        ArgumentOutOfRangeException.ThrowIfNegative(take);
        lock (gate)
        {
            var ordered = Ordered(list, topic);
            if (ordered is null) return Task.FromResult(new IndexPage([], 0));
            var inOrder = newestFirst ? ordered.Reverse() : ordered;
            return Task.FromResult(new IndexPage([.. inOrder.Skip(skip).Take(take).Select(r => Guid.Parse(r.Id))], ordered.Count));
        }
    }

    public Task<long> CountAsync(string list, string? topic)
    {
        lock (gate)
        {
            return Task.FromResult((long)(Ordered(list, topic)?.Count ?? 0));
        }
    }

    private SortedSet<(long AtMs, string Id)>? Ordered(string list, string? topic) =>
        !lists.TryGetValue(list, out var requests) ? null
        : topic is null ? requests.All
        : requests.ByTopic.GetValueOrDefault(topic);

    private sealed class RequestList
    {
        private readonly Dictionary<Guid, (string Topic, long AtMs)> members = [];

        public SortedSet<(long AtMs, string Id)> All { get; } = new(InListOrder);

        public Dictionary<string, SortedSet<(long AtMs, string Id)>> ByTopic { get; } = new(StringComparer.Ordinal);

        public void Put(Guid requestId, string topic, long atMs)
        {
            Remove(requestId);
            var key = (atMs, requestId.ToString("D"));
            members[requestId] = (topic, atMs);
            All.Add(key);
            if (!ByTopic.TryGetValue(topic, out var ofTopic)) ByTopic[topic] = ofTopic = new(InListOrder);
            ofTopic.Add(key);
        }

        public void Remove(Guid requestId)
        {
            if (!members.Remove(requestId, out var member)) return;
            var key = (member.AtMs, requestId.ToString("D"));
            All.Remove(key);
            ByTopic[member.Topic].Remove(key);
        }
    }
}
