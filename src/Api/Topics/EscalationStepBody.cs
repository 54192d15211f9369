namespace AssistanceRouter.Api.Topics;

/// <summary><c>after</c>: a TimeSpan from acceptance, strictly increasing from step to step.</summary>
public sealed record EscalationStepBody(TimeSpan After, string[]? Channels);
