namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>What one attempt on one channel came to: what a channel reports to the request, and keeps with a notice until it has.</summary>
/// <param name="Address">Where the receiver keeps the posted message, when it names one (see <c>SendResult.Address</c>).</param>
[GenerateSerializer, Immutable, OmitDefaultMemberValues] // without an address, written as earlier versions wrote it
public sealed record AttemptOutcome(
    [property: Id(0)] AttemptResult Result,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string? Error,
    [property: Id(3)] DateTimeOffset? NextAttemptAt,
    [property: Id(4)] string? Address = null);
