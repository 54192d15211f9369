using AssistanceRouter.Grains.AssistanceRequests;

namespace AssistanceRouter.Grains.Storage;

/// <summary>
/// Each request's record, written together with what its transition changes in the lists and queues
/// (<see cref="RequestWrite"/>), in one write. Stored where Orleans' grain storage of the same provider keeps grain
/// state (state name <see cref="StateName"/>, the same serializer), so that records written by earlier versions read,
/// and those written here read there. Every write checks the ETag the record was read with, as Orleans' providers do:
/// a write whose ETag is stale, or a first write (no ETag) of a record that exists, stores nothing of the transition
/// and throws <see cref="InconsistentStateException"/>.
/// </summary>
public interface IRequestStore
{
    public const string StateName = "request";

    /// <summary>The record and its ETag; null when none is stored.</summary>
    Task<StoredRequest?> ReadAsync(GrainId grainId);

    /// <summary>Stores the record and <paramref name="write"/> at once, if the stored ETag is still <paramref name="etag"/>; returns the new ETag.</summary>
    Task<string> WriteAsync(GrainId grainId, AssistanceRequestState state, string? etag, RequestWrite write);
}

/// <summary>A stored request record and the ETag its next write must name.</summary>
public sealed record StoredRequest(AssistanceRequestState State, string ETag);
