namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>Stored values: never renumber.</summary>
public enum AttemptResult { Delivered = 0, WillRetry = 1, Failed = 2 }
