namespace AssistanceRouter.Api.Topics;

/// <summary>The channels a topic goes to, and optionally how it escalates while nobody has a request (else the default policy).</summary>
public sealed record RouteChannels(string[]? Channels, EscalationBody? Escalation = null);
