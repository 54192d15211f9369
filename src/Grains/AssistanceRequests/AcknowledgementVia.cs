namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>Where a person took the request from. Stored values: never renumber.</summary>
public enum AcknowledgementVia { Api = 0, Link = 1, Inbox = 2 }
