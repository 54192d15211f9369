using System.Security.Cryptography;

namespace AssistanceRouter.Grains.Keys;

/// <summary>Makes the cluster's shared keys once and keeps them (<see cref="IClusterKeysGrain"/>).</summary>
public sealed class ClusterKeysGrain([PersistentState("keys")] IPersistentState<ClusterKeysState> state, ILogger<ClusterKeysGrain> logger)
    : Grain, IClusterKeysGrain
{
    public const int LinkKeyBytes = 32;

    /// <summary>128 random bits: two installations never draw the same.</summary>
    public const int InstallationIdBytes = 16;

    public async Task<byte[]> GetLinkKey()
    {
        var key = await GetOrMake(s => s.LinkKey, s => s.LinkKey = RandomNumberGenerator.GetBytes(LinkKeyBytes));
        logger.LogInformation("The cluster's link signing key is in place");
        return key;
    }

    public Task<string> GetInstallationId() =>
        GetOrMake(s => s.InstallationId, s => s.InstallationId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(InstallationIdBytes)));

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
    /// The stored value, made and stored first if there is none. When another activation wrote first (as after a
    /// split), what it stored wins: read again, and made only if that still has none.
    /// </summary>
    private async Task<T> GetOrMake<T>(Func<ClusterKeysState, T?> read, Action<ClusterKeysState> make) where T : class
    {
        for (var attempt = 0; ; attempt++)
        {
            if (read(state.State) is { } stored) return stored;
            make(state.State);
            if (await WriteOrReload()) return read(state.State)!;
            if (attempt > 0) throw new InvalidOperationException("The cluster's keys changed under two writes in a row; try again.");
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
