namespace AssistanceRouter.Grains.Changes;

/// <summary>
/// What one silo pushes to each subscribed API node at a time. <see cref="Sequence"/> grows by one per batch of
/// <see cref="Source"/> (a silo process), so a node that misses one sees the gap; a batch without changes only says
/// the source is alive. <see cref="Final"/>: the silo is stopping, and sent all it had.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChangeBatch(
    [property: Id(0)] Guid Source,
    [property: Id(1)] long Sequence,
    [property: Id(2)] RequestChange[] Changes,
    [property: Id(3)] bool Final = false);
