namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>A notice on a channel's queue.</summary>
[GenerateSerializer, Immutable]
public sealed record NoticeRef([property: Id(0)] string Channel, [property: Id(1)] string NoticeId);
