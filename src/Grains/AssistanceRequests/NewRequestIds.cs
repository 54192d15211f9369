using System.Collections.Concurrent;

namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>
/// Ids this process has just minted for requests it is submitting (a new UUIDv7; an Idempotency-Key's id is not new):
/// nothing can be stored under them yet, so the request's first activation in this process need not read its record
/// (one round trip and a quarter of an activation's work, for every request accepted). The API mints an id before its
/// Submit call and forgets it after; the grain takes it as it activates. Safe if it were ever wrong: a record's first
/// write is create-only in every store (<see cref="Storage.IRequestStore"/>), the grain then drops its activation, and
/// the next one reads what is stored. An API that is a client of silos elsewhere never meets its ids there.
/// </summary>
public sealed class NewRequestIds
{
    private readonly ConcurrentDictionary<Guid, byte> ids = new();

    public Guid Mint()
    {
        var id = Guid.CreateVersion7();
        Add(id);
        return id;
    }

    /// <summary>Marks <paramref name="id"/> as new here: its next activation in this process will not read storage.</summary>
    public void Add(Guid id) => ids[id] = 0;

    /// <summary>True once for an id minted here and not yet taken or forgotten.</summary>
    public bool Take(Guid id) => ids.TryRemove(id, out _);
}
