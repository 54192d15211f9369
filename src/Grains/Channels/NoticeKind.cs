namespace AssistanceRouter.Grains.Channels;

/// <summary>What a notice tells about its request. Stored values: never renumber.</summary>
public enum NoticeKind
{
    /// <summary>A new request: someone please take it.</summary>
    Request = 0,
    /// <summary>An escalation step that reaches a channel again: still waiting.</summary>
    StillWaiting = 1,
    Taken = 2,
    Resolved = 3,
    /// <summary>A lifecycle event for the bot (the events channel).</summary>
    Event = 4,
    /// <summary>
    /// An escalation step due later, in a channel's schedule (<see cref="ChannelSchedule"/>): never sent; when it falls
    /// due the channel asks its request to run the step.
    /// </summary>
    EscalationStep = 5,
    /// <summary>Given back: open again. Told only where the request's message can be updated (it shows Take it again).</summary>
    GivenBack = 6,
}
