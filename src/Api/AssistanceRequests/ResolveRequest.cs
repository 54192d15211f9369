namespace AssistanceRouter.Api.AssistanceRequests;

/// <summary>Who resolved it, and a note for the record.</summary>
public sealed record ResolveRequest(string? By, string? Note);
