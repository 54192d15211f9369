namespace AssistanceRouter.Api.AssistanceRequests;

/// <summary>Who gives it back: <c>{"by": "Alice"}</c>, recorded in its history (and so in its events); <c>api</c> when absent.</summary>
public sealed record UnacknowledgeRequest(string? By);
