namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>A notice on a queue: a channel's (<see cref="Channel"/> is the channel), or a channel's schedule (<see cref="Channels.ChannelSchedule.QueueOf"/>).</summary>
[GenerateSerializer, Immutable]
public sealed record NoticeRef([property: Id(0)] string Channel, [property: Id(1)] string NoticeId);
