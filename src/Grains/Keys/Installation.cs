namespace AssistanceRouter.Grains.Keys;

/// <summary>
/// This installation's id (<see cref="IClusterKeysGrain.GetInstallationId"/>), read once per node and cached, and the
/// one rule for the ids a node sends to the outside (Message-Ids, webhook-ids): a local id, stable across retries,
/// followed by the installation's. Request ids alone are not enough: with an Idempotency-Key they come from the key,
/// so two installations given the same key would otherwise send the same ids for different messages.
/// </summary>
public sealed class Installation
{
    private readonly Func<Task<string>> load;
    private readonly SemaphoreSlim loading = new(1, 1);
    private string? id;

    public Installation(IGrainFactory grains) : this(() => grains.GetGrain<IClusterKeysGrain>(0).GetInstallationId())
    {
    }

    private Installation(Func<Task<string>> load) => this.load = load;

    /// <summary>An installation whose id is already known: a sender tested without a cluster.</summary>
    public static Installation Known(string id) => new(() => Task.FromResult(id)) { id = id };

    /// <summary>The installation's id; a failed read (the storage away) throws, and the send that needed it is retried.</summary>
    public async ValueTask<string> IdAsync()
    {
        if (Volatile.Read(ref id) is { } known) return known;
        await loading.WaitAsync();
        try
        {
            return id ??= await load();
        }
        finally
        {
            loading.Release();
        }
    }

    /// <summary><paramref name="localId"/> (the same on every retry) made unique across installations: <c>{localId}.{installation}</c>.</summary>
    public async ValueTask<string> GlobalIdAsync(string localId) => GlobalId(localId, await IdAsync());

    public static string GlobalId(string localId, string installationId) => $"{localId}.{installationId}";
}
