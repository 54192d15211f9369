namespace AssistanceRouter.Grains.Storage;

/// <summary>
/// A notice as a channel's queue stores it. <see cref="Due"/> and <see cref="EnqueuedAt"/> are kept to the millisecond
/// by every store, so that the order is the same everywhere; <see cref="Payload"/> is the channel's own serialized
/// notice, opaque to the store.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record StoredNotice(
    [property: Id(0)] string Id,
    [property: Id(1)] DateTimeOffset Due,
    [property: Id(2)] DateTimeOffset EnqueuedAt,
    [property: Id(3)] byte[] Payload)
{
    public QueuePosition Position => new(Due, Id);
}
