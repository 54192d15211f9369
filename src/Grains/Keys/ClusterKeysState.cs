namespace AssistanceRouter.Grains.Keys;

/// <summary>What the cluster's keys grain stores. Stored fields: never renumber.</summary>
[GenerateSerializer]
public sealed class ClusterKeysState
{
    [Id(0)] public byte[]? LinkKey { get; set; }

    [Id(1)] public List<StoredKey> KeyRing { get; set; } = [];
}
