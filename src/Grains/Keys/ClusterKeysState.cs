namespace AssistanceRouter.Grains.Keys;

/// <summary>What the cluster's keys grain stores. Stored fields: never renumber.</summary>
[GenerateSerializer]
public sealed class ClusterKeysState
{
    [Id(0)] public byte[]? LinkKey { get; set; }

    [Id(1)] public List<StoredKey> KeyRing { get; set; } = [];

    /// <summary>This installation's own id (<see cref="IClusterKeysGrain.GetInstallationId"/>); absent in state written before it existed.</summary>
    [Id(2)] public string? InstallationId { get; set; }
}
