namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>
/// The list of failed requests (dead letters), one for the cluster (key 0). Requests add themselves when they fail
/// and remove themselves when retried or acknowledged, so its size is the number of unresolved failures, never
/// the backlog.
/// </summary>
public interface IDeadLetterGrain : IGrainWithIntegerKey
{
    Task Add(Guid requestId, DateTimeOffset failedAt);

    Task Remove(Guid requestId);

    /// <summary>Newest failure first.</summary>
    Task<DeadLetterPage> List(int skip, int take);
}

[GenerateSerializer, Immutable]
public sealed record DeadLetterPage([property: Id(0)] Guid[] RequestIds, [property: Id(1)] int Total);

[GenerateSerializer]
public sealed class DeadLetterState
{
    [Id(0)] public Dictionary<Guid, DateTimeOffset> Failed { get; set; } = [];
}

public sealed class DeadLetterGrain([PersistentState("dead-letters")] IPersistentState<DeadLetterState> state) : Grain, IDeadLetterGrain
{
    public async Task Add(Guid requestId, DateTimeOffset failedAt)
    {
        if (state.State.Failed.TryAdd(requestId, failedAt)) await state.WriteStateAsync();
    }

    public async Task Remove(Guid requestId)
    {
        if (state.State.Failed.Remove(requestId)) await state.WriteStateAsync();
    }

    public Task<DeadLetterPage> List(int skip, int take) => Task.FromResult(new DeadLetterPage(
        [.. state.State.Failed.OrderByDescending(f => f.Value).ThenBy(f => f.Key).Skip(skip).Take(take).Select(f => f.Key)],
        state.State.Failed.Count));
}
