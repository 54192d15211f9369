namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>
/// One customer's call for help, from acceptance until a person has resolved it: stores it, queues its notices on
/// its channels, escalates while nobody has it (woken by an entry in a channel's schedule), and answers for its status.
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

    /// <summary>
    /// A channel reports one attempt of a notice; returns false once the notice is done (delivered, failed, or no longer
    /// wanted), and by then its stored copy is off the channel's queue: the channel only lets go of it in memory.
    /// </summary>
    Task<bool> RecordAttempt(string channel, string noticeId, AttemptOutcome outcome);

    /// <summary>Whether a notice a channel found in its stored queue (after a restart) should still go out.</summary>
    Task<bool> IsWanted(string channel, string noticeId);

    /// <summary>
    /// The entry <paramref name="entryId"/> in <paramref name="channel"/>'s schedule fell due: the request runs its next
    /// escalation step (and any others due by then), and takes the entry off the schedule in the same write. False when
    /// the request no longer waits for that entry: the channel then takes it off itself.
    /// </summary>
    Task<bool> StepDue(string channel, string entryId);
}
