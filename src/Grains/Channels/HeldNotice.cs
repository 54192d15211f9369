using AssistanceRouter.Grains.Storage;

namespace AssistanceRouter.Grains.Channels;

/// <summary>
/// A notice a channel holds in memory, with its stored copy; <see cref="Recovered"/>: read from the store (not queued by
/// this activation), so its request is asked before it goes.
/// </summary>
public sealed record HeldNotice(StoredNotice Stored, Notice Notice, bool Recovered);
