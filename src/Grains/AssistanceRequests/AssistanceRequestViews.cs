namespace AssistanceRouter.Grains.AssistanceRequests;

/// <summary>The one place where a request's stored state becomes the view that GET shows and events carry.</summary>
public static class AssistanceRequestViews
{
    public static AssistanceRequestView ToView(this AssistanceRequestState request, Guid id) => new(
        id, request.Topic, request.Description, request.Status, request.CreatedAt, request.ConversationUrl, request.Metadata,
        [.. request.Deliveries.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => d.Value.ToView(d.Key))],
        request.Acknowledgement is { } taken ? new AcknowledgementView(taken.By, taken.At, taken.Via) : null,
        request.Resolution is { } resolved ? new ResolutionView(resolved.By, resolved.At, resolved.Note) : null,
        new EscalationView(request.EscalationStep, request.Escalation.TotalSteps, request.IsOpen ? request.EscalationNextAt : null),
        [.. request.History.Select(h => new HistoryEntry(h.At, h.Event, h.Channel, h.By, h.Detail))]);

    private static DeliveryView ToView(this DeliveryState delivery, string channel) => new(
        channel, delivery.Status, delivery.Attempts, delivery.LastError, delivery.DeliveredAt, delivery.NextAttemptAt,
        [.. delivery.RecentAttempts.Select(a => new AttemptView(a.At, a.Result, a.Error))]);
}
