using AssistanceRouter.Grains.AssistanceRequests;

namespace AssistanceRouter.Api.Inbox;

/// <summary>One request as the inbox shows it: the view without metadata and history, which no row displays.</summary>
public sealed record InboxItem(
    Guid Id, string Topic, string Description, RequestStatus Status, DateTimeOffset CreatedAt, string? ConversationUrl,
    DeliveryView[] Deliveries, EscalationView? Escalation, AcknowledgementView? Acknowledgement, ResolutionView? Resolution)
{
    public static InboxItem From(AssistanceRequestView view) => new(
        view.Id, view.Topic, view.Description, view.Status, view.CreatedAt, view.ConversationUrl,
        [.. view.Deliveries.Select(d => d with { RecentAttempts = [] })], view.Escalation, view.Acknowledgement, view.Resolution);
}
