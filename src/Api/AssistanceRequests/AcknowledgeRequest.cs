namespace AssistanceRouter.Api.AssistanceRequests;

/// <summary>Who takes it: <c>{"by": "Alice"}</c>; <c>via</c> says where from (<c>api</c> or <c>inbox</c>; links post their own).</summary>
public sealed record AcknowledgeRequest(string? By, string? Via);
