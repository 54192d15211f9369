namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>
/// One customer's call for help, from acceptance until a person has resolved it: stores it, queues its notices on
/// its channels, escalates while nobody has it (its one reminder), and answers for its status.
/// </summary>
public interface IAssistanceRequestGrain : IGrainWithGuidKey
{
    /// <summary>Stores the request and queues one notice per channel. Returns once both are durable.</summary>
    Task<SubmissionResult> Submit(NewAssistanceRequest request);

    Task<AssistanceRequestView?> Get();

    /// <summary>A person takes it. Exactly one of two concurrent claims wins; pending notices are cancelled first.</summary>
    Task<LifecycleResult> Acknowledge(string by, AcknowledgementVia via);

    /// <summary>Gives it back: open again, escalation resumes at its next step; <paramref name="by"/> who did (the holder or someone else).</summary>
    Task<LifecycleResult> Unacknowledge(string by);

    /// <summary>The same, by its holder: the call of the version before, still served while a cluster is upgraded.</summary>
    Task<LifecycleResult> Unacknowledge();

    /// <summary>Done, for good.</summary>
    Task<LifecycleResult> Resolve(string by, string? note);

    /// <summary>Tries every failed delivery again.</summary>
    Task<LifecycleResult> Retry();

    /// <summary>A channel reports one attempt of a notice; returns false when the notice is no longer wanted.</summary>
    Task<bool> RecordAttempt(string channel, string noticeId, AttemptOutcome outcome);

    /// <summary>Whether a notice a channel found in its stored queue (after a restart) should still go out.</summary>
    Task<bool> IsWanted(string channel, string noticeId);
}
