namespace AssistanceRouter.Grains.Changes;

/// <summary>
/// Kept in memory only: a silo that dies takes the list with it, the nodes renew theirs within
/// <see cref="RenewEvery"/>, and each node sees the batches it missed meanwhile as a gap in their sequence.
/// </summary>
public sealed class ChangeSubscriptionsGrain(TimeProvider time) : Grain, IChangeSubscriptionsGrain
{
    public static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan Expiry = TimeSpan.FromMinutes(2);

    private readonly Dictionary<IRequestChangeObserver, DateTimeOffset> renewed = [];

    public Task Subscribe(IRequestChangeObserver observer)
    {
        renewed[observer] = time.GetUtcNow();
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IRequestChangeObserver observer)
    {
        renewed.Remove(observer);
        return Task.CompletedTask;
    }

    public Task<IRequestChangeObserver[]> Subscribers()
    {
        var now = time.GetUtcNow();
        foreach (var lapsed in renewed.Where(r => now - r.Value > Expiry).Select(r => r.Key).ToArray()) renewed.Remove(lapsed);
        return Task.FromResult(renewed.Keys.ToArray());
    }
}
