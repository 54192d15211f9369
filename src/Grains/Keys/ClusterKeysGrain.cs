using System.Security.Cryptography;

namespace AssistanceRouter.Grains.Keys;

/// <summary>
/// The keys every silo and API node must share, made once and kept in grain storage: the links' signing key (unless
/// <c>Links:SigningKey</c> is set) and the key ring that protects browser sign-in cookies and anti-forgery tokens.
/// Nodes cache what they read; the grain is asked at most a few times a day.
/// </summary>
public interface IClusterKeysGrain : IGrainWithIntegerKey
{
    /// <summary>32 random bytes made on the first call, the same for every node and every call after it.</summary>
    Task<byte[]> GetLinkKey();

    Task<StoredKey[]> GetKeyRing();

    /// <summary>Adds (or replaces, by name) one key of the browser key ring, as ASP.NET Core Data Protection wrote it.</summary>
    Task AddToKeyRing(StoredKey key);
}

/// <summary>One key of the browser key ring: the XML element Data Protection made, under its name.</summary>
[GenerateSerializer, Immutable]
public sealed record StoredKey([property: Id(0)] string Name, [property: Id(1)] string Xml);

[GenerateSerializer]
public sealed class ClusterKeysState
{
    [Id(0)] public byte[]? LinkKey { get; set; }

    [Id(1)] public List<StoredKey> KeyRing { get; set; } = [];
}

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
