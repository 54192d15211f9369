namespace AssistanceRouter.Grains.Events;

/// <summary>The lifecycle events a bot hears (<c>type</c> in the body).</summary>
public static class EventTypes
{
    public const string Accepted = "request.accepted";
    public const string Delivered = "request.delivered";
    public const string Failed = "request.failed";
    public const string Escalated = "request.escalated";
    public const string Acknowledged = "request.acknowledged";
    public const string Unacknowledged = "request.unacknowledged";
    public const string Resolved = "request.resolved";
    public const string Unanswered = "request.unanswered";

    public static readonly string[] All = [Accepted, Delivered, Failed, Escalated, Acknowledged, Unacknowledged, Resolved, Unanswered];
}
