namespace AssistanceRouter.Grains.Channels;

/// <summary>A notice its request has stored in a channel's queue, due at <see cref="Due"/> (to the millisecond, as stored).</summary>
[GenerateSerializer, Immutable]
public sealed record DueNotice([property: Id(0)] Notice Notice, [property: Id(1)] DateTimeOffset Due);
