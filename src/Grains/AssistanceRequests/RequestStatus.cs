namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>
/// <c>Accepted</c> → <c>Delivering</c> → <c>Delivered</c> or <c>Failed</c> while nobody has it; then
/// <c>Acknowledged</c> (a person has it) and <c>Resolved</c>. Stored values: never renumber.
/// </summary>
public enum RequestStatus { Accepted = 0, Delivering = 1, Delivered = 2, Failed = 3, Acknowledged = 4, Resolved = 5 }
