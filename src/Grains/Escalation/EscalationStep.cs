namespace AssistanceRouter.Grains.Escalation;

/// <summary>One step: <see cref="After"/> (from acceptance, within a round) notify <see cref="Channels"/> if nobody has the request yet.</summary>
[GenerateSerializer, Immutable]
public sealed record EscalationStep([property: Id(0)] TimeSpan After, [property: Id(1)] string[] Channels);
