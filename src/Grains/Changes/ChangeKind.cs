namespace AssistanceRouter.Grains.Changes;

/// <summary>What happened to a request, as the change feed and <c>/inbox/events</c> name it. Sent between nodes: never renumber.</summary>
public enum ChangeKind
{
    Accepted = 0,
    Acknowledged = 1,
    /// <summary>Given back: open again.</summary>
    Unacknowledged = 2,
    Resolved = 3,
    Escalated = 4,
    /// <summary>A delivery gave up: the request became a dead letter.</summary>
    Failed = 5,
    /// <summary>Failed deliveries are tried again.</summary>
    Retried = 6,
    /// <summary>A channel answered an attempt (delivered, or will retry): the row's delivery marks change.</summary>
    Attempted = 7,
}
