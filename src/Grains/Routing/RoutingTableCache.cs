namespace AssistanceRouter.Grains.Routing;

/// <summary>
/// This node's copy of the routing table, so that accepting a request never calls the single router grain.
/// The router notifies the cache of each change (an observer); the cache also re-reads the table and renews its
/// subscription every <see cref="RefreshInterval"/>, in the background, in case a notification was lost.
/// </summary>
public sealed partial class RoutingTableCache(IGrainFactory grains, TimeProvider time, ILogger<RoutingTableCache> logger) : IRoutingObserver
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim refreshing = new(1, 1);
    private RoutingSnapshot? snapshot;
    private DateTimeOffset refreshedAt;
    private IRoutingObserver? reference;

    private ITopicRouterGrain Router => grains.GetGrain<ITopicRouterGrain>(0);

    /// <summary>The table: from memory, loading it the first time.</summary>
    public async ValueTask<RoutingSnapshot> GetAsync()
    {
        var current = Volatile.Read(ref snapshot);
        if (current is null) return await RefreshAsync();
        if (time.GetUtcNow() - refreshedAt > RefreshInterval && refreshing.CurrentCount > 0)
            _ = RefreshInBackground();
        return current;
    }

    /// <summary>Takes a newer version of the table (from a notification, or from a change made through this node).</summary>
    public void Apply(RoutingSnapshot newer)
    {
        RoutingSnapshot? current;
        do
        {
            current = Volatile.Read(ref snapshot);
            if (current is not null && current.Version >= newer.Version) return;
        }
        while (Interlocked.CompareExchange(ref snapshot, newer, current) != current);
    }

    void IRoutingObserver.RoutesChanged(RoutingSnapshot changed) => Apply(changed);

    private async Task<RoutingSnapshot> RefreshAsync()
    {
        await refreshing.WaitAsync();
        try
        {
            reference ??= grains.CreateObjectReference<IRoutingObserver>(this);
            await Router.Subscribe(reference);
            Apply(await Router.GetSnapshot());
            refreshedAt = time.GetUtcNow();
            return Volatile.Read(ref snapshot)!;
        }
        finally
        {
            refreshing.Release();
        }
    }

    private async Task RefreshInBackground()
    {
        try
        {
            await RefreshAsync();
        }
        catch (Exception ex)
        {
            LogRefreshFailed(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the routing table; serving the cached version")]
    private partial void LogRefreshFailed(Exception exception);
}
