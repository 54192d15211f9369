namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>The words history entries and events use.</summary>
public static class HistoryEvents
{
    public const string Accepted = "accepted";
    public const string Notified = "notified";
    public const string DeliveryFailed = "delivery_failed";
    public const string Escalated = "escalated";
    public const string Acknowledged = "acknowledged";
    public const string Unacknowledged = "unacknowledged";
    public const string Resolved = "resolved";
    public const string Unanswered = "unanswered";
    public const string Retried = "retried";
}
