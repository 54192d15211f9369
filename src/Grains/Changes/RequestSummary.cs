using AssistanceRouter.Grains.AssistanceRequests;

namespace AssistanceRouter.Grains.Changes;

/// <summary>
/// A request as the inbox lists and searches it: the view GET shows, without its history and attempts (no row shows
/// them, and they are most of its size). <see cref="UpdatedAt"/> orders two summaries of one request, so that a late
/// one never wins.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RequestSummary([property: Id(0)] AssistanceRequestView Request, [property: Id(1)] DateTimeOffset UpdatedAt)
{
    public Guid Id => Request.Id;
    public string Topic => Request.Topic;
    public string Description => Request.Description;
    public RequestStatus Status => Request.Status;
    public DateTimeOffset CreatedAt => Request.CreatedAt;
    public IReadOnlyDictionary<string, string> Metadata => Request.Metadata;
    public AcknowledgementView? Acknowledgement => Request.Acknowledgement;
    public ResolutionView? Resolution => Request.Resolution;
    public EscalationView Escalation => Request.Escalation ?? new EscalationView(0, 0, null);

    public bool IsOpen => Acknowledgement is null && Resolution is null;

    /// <summary>Every escalation step ran and nobody has it: nothing more will remind anyone.</summary>
    public bool EscalationRanOut => IsOpen && Escalation.Steps > 0 && Escalation.Step >= Escalation.Steps && Escalation.NextAt is null;

    /// <summary>The request as it was at <paramref name="at"/> (or later).</summary>
    public static RequestSummary Of(AssistanceRequestView view, DateTimeOffset at) =>
        new(view with { History = [], Deliveries = [.. view.Deliveries.Select(d => d with { RecentAttempts = [] })] }, at);
}
