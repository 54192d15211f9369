using AssistanceRouter.Grains.Channels;

namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>A notice for a channel's queue (to people, or an event to the bot) written with the change that caused it.</summary>
[GenerateSerializer, Immutable]
public sealed record OutboxItem([property: Id(0)] string Channel, [property: Id(1)] Notice Notice);
