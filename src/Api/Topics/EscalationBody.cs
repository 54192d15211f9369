namespace AssistanceRouter.Api.Topics;

/// <summary><c>{"steps": [{"after": "00:05:00", "channels": ["email"]}], "repeat": 1}</c></summary>
public sealed record EscalationBody(EscalationStepBody[]? Steps, int Repeat = 0);
