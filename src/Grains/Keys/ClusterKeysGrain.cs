using System.Security.Cryptography;

namespace AssistanceRouter.Grains.Keys;

/// <summary>Makes the cluster's shared keys once and keeps them (<see cref="IClusterKeysGrain"/>).</summary>
public sealed class ClusterKeysGrain([PersistentState("keys")] IPersistentState<ClusterKeysState> state, ILogger<ClusterKeysGrain> logger)
    : Grain, IClusterKeysGrain
{
    public const int LinkKeyBytes = 32;

    public async Task<byte[]> GetLinkKey()
    {
        if (state.State.LinkKey is { } key) return key;
        state.State.LinkKey = RandomNumberGenerator.GetBytes(LinkKeyBytes);
        await WriteOrReload();
        if (state.State.LinkKey is not { } stored)
        {
            state.State.LinkKey = RandomNumberGenerator.GetBytes(LinkKeyBytes);
            await state.WriteStateAsync();
            stored = state.State.LinkKey;
        }
        logger.LogInformation("The cluster's link signing key is in place");
        return stored;
    }

    public Task<StoredKey[]> GetKeyRing() => Task.FromResult(state.State.KeyRing.ToArray());

    public async Task AddToKeyRing(StoredKey key)
    {
        for (var attempt = 0; ; attempt++)
        {
            state.State.KeyRing.RemoveAll(k => k.Name == key.Name);
            state.State.KeyRing.Add(key);
            if (await WriteOrReload()) return;
            if (attempt > 0) throw new InvalidOperationException("The key ring changed under two writes in a row; try again.");
        }
    }

    /// <summary>
    /// Writes the state; on a conflict (another activation wrote first, as after a split) reads what is stored instead and
    /// returns false, so that the stored keys win and no two nodes ever sign with different ones.
    /// </summary>
    private async Task<bool> WriteOrReload()
    {
        try
        {
            await state.WriteStateAsync();
            return true;
        }
        catch (Orleans.Storage.InconsistentStateException)
        {
            await state.ReadStateAsync();
            return false;
        }
    }
}
