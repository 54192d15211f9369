using AssistanceRouter.Api.Pages;
using AssistanceRouter.Grains.AssistanceRequests;

namespace AssistanceRouter.Api.Inbox;

/// <summary>A request's history as a timeline a person reads: oldest first, each event in words, text from outside encoded.</summary>
public static class RequestHistory
{
    public static string Timeline(IEnumerable<HistoryEntry> history, DateTimeOffset now)
    {
        var items = history.Select(entry => $"""
            <li class="event {Html.Text(entry.Event.Replace('_', '-'))}">{Html.Time(entry.At)} <span class="ago">{Html.Age(now - entry.At)} ago</span>
              <p>{Words(entry)}</p></li>
            """);
        return $"""<ol class="timeline">{string.Concat(items)}</ol>""";
    }

    /// <summary>One event as a sentence, HTML-encoded.</summary>
    public static string Words(HistoryEntry entry)
    {
        var channel = Html.Text(entry.Channel);
        var by = $"<strong>{Html.Text(entry.By)}</strong>";
        var detail = Html.Text(entry.Detail);
        return entry.Event switch
        {
            HistoryEvents.Accepted => "Accepted",
            HistoryEvents.Notified => $"Delivered to <strong>{channel}</strong>",
            HistoryEvents.DeliveryFailed => $"Delivery to <strong>{channel}</strong> failed: <span class=\"problem\">{detail}</span>",
            HistoryEvents.Escalated => $"Escalated, {detail}",
            HistoryEvents.Acknowledged => $"Taken by {by}{(entry.Detail is null ? "" : $" via {detail}")}",
            HistoryEvents.Unacknowledged => $"Given back by {by}",
            HistoryEvents.Resolved => $"Resolved by {by}{(entry.Detail is null ? "" : $": <q>{detail}</q>")}",
            HistoryEvents.Unanswered => $"Unanswered: {detail}",
            HistoryEvents.Retried => $"Failed deliveries tried again: {detail}",
            _ => Html.Text(entry.Event) + (entry.Detail is null ? "" : $": {detail}"),
        };
    }
}
