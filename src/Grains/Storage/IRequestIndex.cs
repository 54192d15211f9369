namespace AssistanceRouter.Grains.Storage;

/// <summary>
/// Durable lists of request ids, each ordered by a time and filterable by topic: the <c>Open</c> queue (oldest
/// first), acknowledged and resolved requests (newest first), the dead letters. Each request grain keeps its own
/// entries in step; every change is one small write, whatever a list holds (a Redis sorted set per list and per
/// topic; an indexed SQLite table), so that accepting a request costs the same with 100,000 open.
/// </summary>
public interface IRequestIndex
{
    /// <summary>
    /// Puts the request into <paramref name="to"/> at <paramref name="at"/> (replacing an earlier time) and, in the
    /// same write, out of <paramref name="from"/> when given. Returns once durable.
    /// </summary>
    Task MoveAsync(Guid requestId, string topic, string? from, string to, DateTimeOffset at);

    /// <summary>Takes the request out of <paramref name="list"/>; nothing happens if it is not there.</summary>
    Task RemoveAsync(string list, Guid requestId, string topic);

    /// <summary>One page of <paramref name="list"/> (of one topic when given), oldest first unless <paramref name="newestFirst"/>.</summary>
    Task<IndexPage> PageAsync(string list, string? topic, bool newestFirst, int skip, int take);

    /// <summary>How many requests <paramref name="list"/> holds (of one topic when given).</summary>
    Task<long> CountAsync(string list, string? topic);
}

/// <summary>Ids in list order, and how many the list (or topic) holds in all.</summary>
[GenerateSerializer, Immutable]
public sealed record IndexPage([property: Id(0)] Guid[] RequestIds, [property: Id(1)] long Total);
