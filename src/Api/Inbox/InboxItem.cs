using AssistanceRouter.Grains.AssistanceRequests;
using AssistanceRouter.Grains.Changes;

namespace AssistanceRouter.Api.Inbox;

/// <summary>One request as an inbox row shows it: the summary without metadata, which no row displays; what a reader cannot see in its description written out (<see cref="InvisibleCharacters"/>).</summary>
public sealed record InboxItem(
    Guid Id, string Topic, string Description, RequestStatus Status, DateTimeOffset CreatedAt, string? ConversationUrl,
    DeliveryView[] Deliveries, EscalationView? Escalation, bool EscalationRanOut, AcknowledgementView? Acknowledgement, ResolutionView? Resolution)
{
    public static InboxItem From(RequestSummary summary)
    {
        var request = summary.Request;
        return new(request.Id, request.Topic, InvisibleCharacters.Reveal(request.Description), request.Status, request.CreatedAt, request.ConversationUrl,
            request.Deliveries, request.Escalation, summary.EscalationRanOut, request.Acknowledgement, request.Resolution);
    }
}
