using AssistanceRouter.Grains.AssistanceRequests;

namespace AssistanceRouter.Grains.Changes;

/// <summary>
/// A request as the inbox lists and searches it: everything a row shows, and the metadata search looks in; not its
/// history or attempts. <see cref="UpdatedAt"/> orders two summaries of one request, so that a late one never wins.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record RequestSummary(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Topic,
    [property: Id(2)] string Description,
    [property: Id(3)] RequestStatus Status,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] string? ConversationUrl,
    [property: Id(6)] IReadOnlyDictionary<string, string> Metadata,
    [property: Id(7)] DeliveryView[] Deliveries,
    [property: Id(8)] AcknowledgementView? Acknowledgement,
    [property: Id(9)] ResolutionView? Resolution,
    [property: Id(10)] EscalationView Escalation,
    [property: Id(11)] DateTimeOffset UpdatedAt)
{
    public bool IsOpen => Acknowledgement is null && Resolution is null;

    /// <summary>Every escalation step ran and nobody has it: nothing more will remind anyone.</summary>
    public bool EscalationRanOut => IsOpen && Escalation.Steps > 0 && Escalation.Step >= Escalation.Steps && Escalation.NextAt is null;

    /// <summary>From a request's stored state, in the grain's turn (the state is not read after it returns).</summary>
    public static RequestSummary Of(Guid id, AssistanceRequestState request, DateTimeOffset at) => new(
        id, request.Topic, request.Description, request.Status, request.CreatedAt, request.ConversationUrl, request.Metadata,
        [.. request.Deliveries.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => new DeliveryView(
            d.Key, d.Value.Status, d.Value.Attempts, d.Value.LastError, d.Value.DeliveredAt, d.Value.NextAttemptAt, []))],
        request.Acknowledgement is { } taken ? new AcknowledgementView(taken.By, taken.At, taken.Via) : null,
        request.Resolution is { } resolved ? new ResolutionView(resolved.By, resolved.At, resolved.Note) : null,
        new EscalationView(request.EscalationStep, request.Escalation.TotalSteps, request.IsOpen ? request.EscalationNextAt : null),
        at);

    /// <summary>From the request as GET shows it, read at <paramref name="readAt"/> (or later).</summary>
    public static RequestSummary Of(AssistanceRequestView view, DateTimeOffset readAt) => new(
        view.Id, view.Topic, view.Description, view.Status, view.CreatedAt, view.ConversationUrl, view.Metadata,
        [.. view.Deliveries.Select(d => d with { RecentAttempts = [] })], view.Acknowledgement, view.Resolution,
        view.Escalation ?? new EscalationView(0, 0, null), readAt);
}
