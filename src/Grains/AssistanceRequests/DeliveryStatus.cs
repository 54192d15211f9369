namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>Stored values: never renumber.</summary>
public enum DeliveryStatus { Pending = 0, Delivered = 1, Failed = 2, Cancelled = 3 }
