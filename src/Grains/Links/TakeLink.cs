namespace AssistanceRouter.Grains.Links;

/// <summary>What a "Take it" link stands for: one request, as notified on one channel, until a moment.</summary>
public sealed record TakeLink(Guid RequestId, string Channel, DateTimeOffset ExpiresAt);
