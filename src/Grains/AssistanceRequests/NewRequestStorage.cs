using Orleans.Storage;

namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>
/// The requests' grain storage: the default provider, except that the first activation of an id this process just
/// minted skips the read (one round trip and a quarter of an activation's work, for every request accepted). Safe if it
/// were ever wrong: the first write of a state read as absent is create-only in every provider (no ETag: Redis refuses
/// a key that exists, SQLite's insert does nothing and the write throws), the request grain then drops its activation,
/// and the next one reads what is stored.
/// </summary>
public sealed class NewRequestStorage(IGrainStorage inner, NewRequestIds newIds) : IGrainStorage
{
    public const string Name = "requests";

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainId.TryGetGuidKey(out var id, out _) && newIds.Take(id))
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
            return Task.CompletedTask;
        }
        return inner.ReadStateAsync(stateName, grainId, grainState);
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
